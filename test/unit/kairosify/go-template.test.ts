import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors/app-error.js';
import {
  mergeTemplateValues,
  renderGoTemplate,
  templateValueNames,
  type TemplateValue,
} from '../../../src-shared/kairosify/go-template.js';

type Data = { readonly [key: string]: TemplateValue };

const render = (text: string, data: Data = {}): string => renderGoTemplate(text, data);

/** The AppError a template raises, so tests can check its code, message and hint. */
function errorOf(text: string, data: Data = {}): AppError {
  try {
    renderGoTemplate(text, data);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

const messageOf = (text: string, data: Data = {}): string => errorOf(text, data).message;

describe('renderGoTemplate: text and values', () => {
  it('passes plain text through unchanged', () => {
    const text = 'FROM debian:12\nRUN echo "{ not an action }" } {\n\t$HOME . | ( )\n';
    expect(render(text)).toBe(text);
    expect(render('')).toBe('');
  });

  it('substitutes fields, nested fields and dot', () => {
    const data = { Name: 'kairos', Image: { Repo: 'quay.io/kairos', Tag: { Value: 'v3' } } };
    expect(render('{{ .Name }}', data)).toBe('kairos');
    expect(render('{{.Name}}-{{   .Name   }}', data)).toBe('kairos-kairos');
    expect(render('{{ .Image.Repo }}:{{ .Image.Tag.Value }}', data)).toBe('quay.io/kairos:v3');
    expect(render('{{ . }}', { b: 1, a: 'x' })).toBe('map[a:x b:1]');
  });

  it('renders a missing key, a field of a missing value and null as empty', () => {
    expect(render('[{{ .Missing }}]')).toBe('[]');
    expect(render('[{{ .Missing.Deeper.Still }}]')).toBe('[]');
    expect(render('[{{ .A.B }}]', { A: {} })).toBe('[]');
    expect(render('[{{ .N }}][{{ .N.X }}]', { N: null })).toBe('[][]');
    expect(render('[{{ $.Missing }}]')).toBe('[]');
  });

  it('does not read inherited properties as fields', () => {
    expect(render('[{{ .constructor }}][{{ .toString }}]', {})).toBe('[][]');
  });

  it('prints scalars, lists and maps like Go', () => {
    const data = { S: 'text', I: 42, F: 1.5, T: true, B: false, L: ['a', 'b', 'c'], M: { z: 1, a: ['x', 2] }, E: [] };
    expect(render('{{ .S }} {{ .I }} {{ .F }} {{ .T }} {{ .B }}', data)).toBe('text 42 1.5 true false');
    expect(render('{{ .L }} {{ .M }} {{ .E }}', data)).toBe('[a b c] map[a:[x 2] z:1] []');
    expect(render('{{ .L }}', { L: ['a', null] })).toBe('[a <nil>]');
    expect(render('{{ 0.00001 }} {{ 1234567.5 }}')).toBe('1e-05 1.2345675e+06');
  });

  it('renders literals: strings with Go escapes, raw strings, numbers, booleans', () => {
    expect(render('{{ "a\\tb\\n\\"q\\"\\\\" }}')).toBe('a\tb\n"q"\\');
    expect(render('{{ "\\x41\\101\\u00e9\\U0001F600" }}')).toBe('AAé😀');
    expect(render('{{ `raw \\n "as is"` }}')).toBe('raw \\n "as is"');
    expect(render('{{ `two\nlines` }}')).toBe('two\nlines');
    expect(render('{{ 42 }} {{ -7 }} {{ +3 }} {{ 0x1F }} {{ 1_000 }} {{ 2.5 }} {{ .5 }} {{ 1e3 }}')).toBe('42 -7 3 31 1000 2.5 0.5 1000');
    expect(render('{{ true }} {{ false }}')).toBe('true false');
    expect(render('{{ "}}" }}')).toBe('}}');
  });

  it('allows actions to span lines', () => {
    expect(render('{{ printf "%s-%s"\n  .A\n  .B }}', { A: 'a', B: 'b' })).toBe('a-b');
  });
});

describe('renderGoTemplate: trim markers and comments', () => {
  it('trims adjacent whitespace like Go ("{{23 -}} < {{- 45}}" is "23<45")', () => {
    expect(render('{{23 -}} < {{- 45}}')).toBe('23<45');
  });

  it('trims spaces, tabs, carriage returns and newlines only next to the marker', () => {
    expect(render('a \r\n\t{{- .A -}} \r\n b', { A: 'X' })).toBe('aXb');
    expect(render('a {{ .A }} {{- .B }} c', { A: 'A', B: 'B' })).toBe('a AB c');
    expect(render('a {{ .A -}} {{ .B }} c', { A: 'A', B: 'B' })).toBe('a AB c');
    expect(render('x\n\n{{- "y" }}\n\nz')).toBe('xy\n\nz');
    expect(render('x\n\n{{ "y" -}}\n\nz')).toBe('x\n\nyz');
  });

  it('needs the space: {{-3}} is the number -3 and trims nothing', () => {
    expect(render('x  {{-3}}  y')).toBe('x  -3  y');
    expect(render('x  {{- 3}}  y')).toBe('x3  y');
    expect(render('{{ 3 -}}  y')).toBe('3y');
  });

  it('renders comments as nothing, with or without trim markers', () => {
    expect(render('a{{/* a comment */}}b')).toBe('ab');
    expect(render('a{{/* one\ntwo {{ .X }} */}}b')).toBe('ab');
    expect(render('a\n{{- /* trimmed */ -}}\nb')).toBe('ab');
    expect(render('a\n{{- /* left only */}}\nb')).toBe('a\nb');
    expect(render('a\n{{/* right only */ -}}\nb')).toBe('a\nb');
  });

  it('renders a multi-line Dockerfile RUN built with a trimmed range', () => {
    const template = ['RUN set -e \\', '{{- range .Commands }}', '    && {{ . }} \\', '{{- end }}', '    && true', ''].join('\n');
    const data = { Commands: ['apt-get update', 'apt-get install -y curl'] };
    expect(render(template, data)).toBe('RUN set -e \\\n    && apt-get update \\\n    && apt-get install -y curl \\\n    && true\n');
  });
});

describe('renderGoTemplate: the realistic Dockerfile template', () => {
  const template = [
    'FROM {{ .BaseImage }}',
    '{{- if .Packages }}',
    'RUN apt-get install -y {{ range .Packages }}{{ . }} {{ end }}',
    '{{- end }}',
    '',
  ].join('\n');

  it('renders the packages when there are some', () => {
    const data = { BaseImage: 'debian:12', Packages: ['curl', 'git'] };
    expect(render(template, data)).toBe('FROM debian:12\nRUN apt-get install -y curl git \n');
  });

  it('renders only the FROM line without packages', () => {
    expect(render(template, { BaseImage: 'debian:12', Packages: [] })).toBe('FROM debian:12\n');
    expect(render(template, { BaseImage: 'debian:12' })).toBe('FROM debian:12\n');
  });

  it('renders a longer operator-style template', () => {
    const longer = [
      '{{- /* Built by the Kairos operator */ -}}',
      'FROM {{ .Image }}:{{ .Tag | printf "%s" }}',
      '{{ range $key, $value := .Env -}}',
      'ENV {{ $key }}={{ printf "%q" $value }}',
      '{{ end -}}',
      '{{ with .User -}}',
      'USER {{ .Name }}',
      '{{ end -}}',
      'RUN kairos-agent {{ if eq .Flavor "ubuntu" "debian" }}--apt{{ else if eq .Flavor "fedora" }}--dnf{{ else }}--auto{{ end }}',
      '',
    ].join('\n');
    const data = { Image: 'ubuntu', Tag: '24.04', Env: { TZ: 'UTC', LANG: 'C.UTF-8' }, User: { Name: 'kairos' }, Flavor: 'debian' };
    expect(render(longer, data)).toBe(
      'FROM ubuntu:24.04\nENV LANG="C.UTF-8"\nENV TZ="UTC"\nUSER kairos\nRUN kairos-agent --apt\n',
    );
    expect(render(longer, { ...data, Env: {}, User: null, Flavor: 'alpine' })).toBe('FROM ubuntu:24.04\nRUN kairos-agent --auto\n');
  });
});

describe('renderGoTemplate: control structures', () => {
  it('chooses between if, else if and else', () => {
    const template = '{{ if .A }}a{{ else if .B }}b{{ else if .C }}c{{ else }}none{{ end }}';
    expect(render(template, { A: 1 })).toBe('a');
    expect(render(template, { B: 'yes' })).toBe('b');
    expect(render(template, { C: true })).toBe('c');
    expect(render(template)).toBe('none');
    expect(render('{{ if .A }}a{{ end }}')).toBe('');
  });

  it('applies Go truthiness', () => {
    const falsy: TemplateValue[] = [false, 0, '', null, undefined, [], {}];
    const truthy: TemplateValue[] = [true, 1, -1, 0.5, 'x', '0', 'false', [0], { k: null }];
    for (const value of falsy) expect(render('{{ if .V }}T{{ else }}F{{ end }}', { V: value })).toBe('F');
    for (const value of truthy) expect(render('{{ if .V }}T{{ else }}F{{ end }}', { V: value })).toBe('T');
  });

  it('sets dot with "with" and falls back to its else', () => {
    const data = { User: { Name: 'kairos', Groups: ['admin'] }, Root: 'r' };
    expect(render('{{ with .User }}{{ .Name }} in {{ .Groups }} ({{ $.Root }}){{ end }}', data)).toBe('kairos in [admin] (r)');
    expect(render('{{ with .Missing }}{{ . }}{{ else }}none: {{ .Root }}{{ end }}', data)).toBe('none: r');
    expect(render('{{ with $u := .User }}{{ $u.Name }}{{ end }}', data)).toBe('kairos');
    expect(render('{{ with .A }}a{{ else with .B }}{{ . }}{{ else }}none{{ end }}', { B: 'b' })).toBe('b');
  });

  it('ranges over lists with dot as the element', () => {
    expect(render('{{ range .L }}<{{ . }}>{{ end }}', { L: ['a', 'b', 'c'] })).toBe('<a><b><c>');
    expect(render('{{ range .L }}{{ .Name }};{{ end }}', { L: [{ Name: 'x' }, { Name: 'y' }] })).toBe('x;y;');
  });

  it('ranges over maps in sorted key order with dot as the value', () => {
    expect(render('{{ range .M }}{{ . }},{{ end }}', { M: { b: 2, c: 3, a: 1 } })).toBe('1,2,3,');
  });

  it('declares range variables for the index or key and the element', () => {
    expect(render('{{ range $i, $v := .L }}{{ $i }}={{ $v }} {{ end }}', { L: ['a', 'b'] })).toBe('0=a 1=b ');
    expect(render('{{ range $k, $v := .M }}{{ $k }}={{ $v }} {{ end }}', { M: { y: 2, x: 1 } })).toBe('x=1 y=2 ');
    expect(render('{{ range $v := .L }}{{ $v }}{{ . }} {{ end }}', { L: ['a', 'b'] })).toBe('aa bb ');
    expect(render('{{ range $v := .M }}{{ $v }} {{ end }}', { M: { b: 'B', a: 'A' } })).toBe('A B ');
  });

  it('runs the else of range for an empty or missing collection', () => {
    const template = '{{ range .L }}{{ . }}{{ else }}empty{{ end }}';
    expect(render(template, { L: [] })).toBe('empty');
    expect(render(template, { L: {} })).toBe('empty');
    expect(render(template)).toBe('empty');
    expect(render(template, { L: ['x'] })).toBe('x');
  });

  it('reaches the root with $ inside range and with', () => {
    const data = { Prefix: 'pkg-', L: ['a', 'b'], Inner: { Prefix: 'inner' } };
    expect(render('{{ range .L }}{{ $.Prefix }}{{ . }} {{ end }}', data)).toBe('pkg-a pkg-b ');
    expect(render('{{ with .Inner }}{{ .Prefix }}/{{ $.Prefix }}{{ end }}', data)).toBe('inner/pkg-');
    expect(render('{{ range .L }}{{ range $.L }}{{ . }}{{ end }};{{ end }}', data)).toBe('ab;ab;');
  });

  it('ranges over an integer (Go 1.22)', () => {
    expect(render('{{ range 3 }}{{ . }}{{ end }}')).toBe('012');
    expect(render('{{ range $i := 2 }}{{ $i }}{{ end }}')).toBe('01');
  });

  it('supports break and continue inside range', () => {
    const template = '{{ range .L }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}';
    expect(render(template, { L: [1, 2, 3, 4, 5] })).toBe('13');
  });

  it('nests control structures', () => {
    const template = '{{ range .Groups }}{{ .Name }}:{{ range .Users }}{{ if .Admin }}*{{ end }}{{ .Name }} {{ end }}|{{ end }}';
    const data = {
      Groups: [
        { Name: 'g1', Users: [{ Name: 'a', Admin: true }, { Name: 'b' }] },
        { Name: 'g2', Users: [] },
      ],
    };
    expect(render(template, data)).toBe('g1:*a b |g2:|');
  });
});

describe('renderGoTemplate: variables', () => {
  it('declares variables at the top level and reads their fields', () => {
    expect(render('{{ $img := .Image }}{{ $img.Repo }}:{{ $img.Tag }}', { Image: { Repo: 'r', Tag: 't' } })).toBe('r:t');
    expect(render('{{ $x := "v" }}[{{ $x }}]')).toBe('[v]');
  });

  it('scopes declarations to the enclosing control structure and assigns with =', () => {
    expect(render('{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}')).toBe('21');
    expect(render('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}')).toBe('2');
    expect(render('{{ if $v := .A }}{{ $v }}{{ else }}no {{ $v }}{{ end }}', { A: 'a' })).toBe('a');
    expect(render('{{ $n := 0 }}{{ range .L }}{{ $n = . }}{{ end }}{{ $n }}', { L: [1, 2, 3] })).toBe('3');
  });

  it('rejects an undefined variable, also outside the scope that declared it', () => {
    expect(messageOf('{{ $nope }}')).toBe('Dockerfile template, line 1, column 1: undefined variable "$nope"');
    expect(messageOf('{{ if true }}{{ $x := 1 }}{{ end }}\n{{ $x }}')).toBe('Dockerfile template, line 2, column 1: undefined variable "$x"');
    expect(messageOf('{{ $y = 1 }}')).toContain('undefined variable "$y"');
  });
});

describe('renderGoTemplate: functions and pipelines', () => {
  it('compares with eq, including the multi-argument form, and ne', () => {
    expect(render('{{ eq .A "x" }} {{ eq .A "y" }}', { A: 'x' })).toBe('true false');
    expect(render('{{ eq .A "a" "b" "c" }} {{ eq .A "a" "b" }}', { A: 'c' })).toBe('true false');
    expect(render('{{ eq 1 1 }} {{ eq true false }} {{ ne 1 2 }} {{ ne "a" "a" }}')).toBe('true false true false');
    expect(render('{{ eq .Missing "" }} {{ ne .Missing "" }}')).toBe('false true');
  });

  it('orders numbers and strings with lt, le, gt and ge', () => {
    expect(render('{{ lt 1 2 }} {{ le 2 2 }} {{ gt 1 2 }} {{ ge 3 2 }}')).toBe('true true false true');
    expect(render('{{ lt "a" "b" }} {{ gt "a" "b" }}')).toBe('true false');
  });

  it('returns the deciding argument from and / or, and negates with not', () => {
    expect(render('{{ and 1 0 2 }}|{{ and 1 2 }}|{{ or 0 "" "z" }}|{{ or 0 "" }}|{{ not 0 }}|{{ not "x" }}')).toBe('0|2|z||true|false');
  });

  it('stops evaluating and / or once the result is known', () => {
    expect(render('{{ and false (index .L 9) }} {{ or true (index .L 9) }}', { L: [] })).toBe('false true');
  });

  it('measures with len (bytes for strings, like Go)', () => {
    expect(render('{{ len .L }} {{ len .M }} {{ len "abc" }} {{ len "é" }}', { L: [1, 2, 3], M: { a: 1 } })).toBe('3 1 3 2');
  });

  it('indexes maps and lists, with several keys', () => {
    const data = { M: { 'dash-key': { list: ['a', 'b'] } }, L: [[1, 2], [3, 4]] };
    expect(render('{{ index .M "dash-key" "list" 1 }} {{ index .L 1 0 }} {{ index .L }}', data)).toBe('b 3 [[1 2] [3 4]]');
    expect(render('[{{ index .M "nope" }}]', data)).toBe('[]');
  });

  it('prints with print, println and printf', () => {
    expect(render('{{ print "a" "b" 1 2 "c" }}')).toBe('ab1 2c');
    expect(render('{{ println "a" 1 }}')).toBe('a 1\n');
    expect(render('{{ print nil .Missing }}|{{ printf "%v %s" nil .Missing }}')).toBe('<nil> <nil>|<nil> %!s(<nil>)');
    expect(render('{{ printf "%s=%d %v %q %%" "k" 42 .L "q\\"x" }}', { L: [1, 'b'] })).toBe('k=42 [1 b] "q\\"x" %');
    expect(render('{{ printf "[%5s][%-5s][%03d][%.2f][%t]" "ab" "cd" 7 3.14159 true }}')).toBe('[   ab][cd   ][007][3.14][true]');
    expect(render('{{ printf "%d %s" "x" }}')).toBe('%!d(string=x) %!s(MISSING)');
    expect(render('{{ printf "%s" "a" 1 }}')).toBe('a%!(EXTRA int=1)');
  });

  it('escapes with html, js and urlquery', () => {
    expect(render(`{{ html "<a href='x'>&\\"" }}`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&#34;');
    expect(render(`{{ js "it's \\"q\\" <b> a=b&c" }}`)).toBe(`it\\'s \\"q\\" \\u003Cb\\u003E a\\u003Db\\u0026c`);
    expect(render('{{ urlquery "a b&c=d/é" }}')).toBe('a+b%26c%3Dd%2F%C3%A9');
  });

  it('evaluates parenthesised sub-pipelines', () => {
    const data = { A: 'x', B: false, L: [1, 2, 3], M: { k: { Sub: 's' } } };
    expect(render('{{ if and (eq .A "x") (not .B) }}yes{{ end }}', data)).toBe('yes');
    expect(render('{{ if gt (len .L) 2 }}many{{ end }}', data)).toBe('many');
    expect(render('{{ (index .M "k").Sub }}', data)).toBe('s');
    expect(render('{{ printf "%d-%d" (len .L) (index .L 0) }}', data)).toBe('3-1');
  });

  it('passes the previous result as the last argument in a | pipeline', () => {
    const data = { Name: 'kairos', L: ['a', 'b'] };
    expect(render('{{ .Name | printf "%s-os" }}', data)).toBe('kairos-os');
    expect(render('{{ .L | len }}', data)).toBe('2');
    expect(render('{{ "kairos" | eq .Name }}', data)).toBe('true');
    expect(render('{{ .Name | printf "%s!" | printf "<%s>" }}', data)).toBe('<kairos!>');
    expect(render('{{ $n := .L | len }}{{ $n }}', data)).toBe('2');
  });
});

describe('renderGoTemplate: forbidden actions', () => {
  it.each([
    ['define', 'FROM x\nRUN y\n{{ define "foo" }}bar{{ end }}', 3, 1],
    ['template', 'FROM x\nRUN {{ template "foo" . }}', 2, 5],
    ['block', '{{ if .A }}\n  {{- block "b" . }}x{{ end }}\n{{ end }}', 2, 3],
  ])('rejects {{ %s }} with its position and a hint to inline', (word, template, line, column) => {
    const error = errorOf(template, { A: true });
    expect(error.code).toBe('recipe-invalid');
    expect(error.message).toBe(
      `Dockerfile template, line ${line}, column ${column}: {{ ${word} }} is not allowed (only values, if/else, range and with are)`,
    );
    expect(error.hint).toMatch(/inline/i);
  });

  it('rejects them even where they would never run', () => {
    expect(messageOf('{{ if false }}{{ template "x" }}{{ end }}')).toContain('{{ template }} is not allowed');
  });
});

describe('renderGoTemplate: errors', () => {
  it('reports an unclosed action at its opening braces', () => {
    const error = errorOf('FROM {{ .A\nRUN x');
    expect(error.code).toBe('recipe-invalid');
    expect(error.message).toBe('Dockerfile template, line 1, column 6: unclosed action');
    expect(error.hint).toBeTruthy();
  });

  it('reports an unexpected end or else', () => {
    expect(messageOf('a\n{{ end }}')).toBe('Dockerfile template, line 2, column 1: unexpected {{ end }}');
    expect(messageOf('x {{ else }}')).toBe('Dockerfile template, line 1, column 3: unexpected {{ else }}');
    expect(messageOf('{{ if .A }}a{{ else }}b\n{{ else }}c{{ end }}')).toBe(
      'Dockerfile template, line 2, column 1: expected {{ end }}, found {{ else }}',
    );
    expect(messageOf('{{ if .A }}{{ end .B }}')).toBe('Dockerfile template, line 1, column 12: unexpected ".B" in {{ end }}');
  });

  it('reports a missing end at the action that needs it', () => {
    expect(messageOf('FROM x\n  {{ range .L }}\nx')).toBe('Dockerfile template, line 2, column 3: missing {{ end }} for {{ range }}');
    expect(messageOf('{{ if .A }}\n{{ with .B }}{{ end }}')).toBe('Dockerfile template, line 1, column 1: missing {{ end }} for {{ if }}');
    expect(messageOf('{{ with .A }}{{ else }}')).toBe('Dockerfile template, line 1, column 1: missing {{ end }} for {{ with }}');
  });

  it('reports an unknown function by name (default is not a Go builtin)', () => {
    const error = errorOf('FROM x\nRUN {{ default "a" .B }}');
    expect(error.code).toBe('recipe-invalid');
    expect(error.message).toBe('Dockerfile template, line 2, column 5: function "default" not defined');
    expect(messageOf('{{ .A | upper }}')).toContain('function "upper" not defined');
  });

  it.each([
    ['{{ }}', 'missing value for command'],
    ['{{ if }}{{ end }}', 'missing value for if'],
    ['{{ .A | }}', 'empty command in pipeline'],
    ['{{ .A"b" }}', 'bad character'],
    ['{{ 1x }}', 'bad number syntax: "1x"'],
    ['{{ "abc }}', 'unterminated quoted string'],
    ['{{ "a\nb" }}', 'unterminated quoted string'],
    ['{{ `abc }}', 'unterminated raw quoted string'],
    ['{{ "\\q" }}', 'invalid escape'],
    ['{{ ( .A }}', 'unclosed left paren'],
    ['{{ .A ) }}', 'unexpected right paren'],
    ['{{ $x : 1 }}', 'expected :='],
    ['{{ .A # }}', 'unexpected "#" in action'],
    ['{{ "a" | "b" }}', 'non executable command in pipeline stage 2'],
    ['{{ if $a, $b := .L }}{{ end }}', 'too many declarations in if'],
    ['{{ eq(.A) }}', 'unexpected "(" in operand'],
    ["{{ 'a' }}", 'character constants are not supported'],
    ['{{ /* spaced */ }}', 'a comment must start right after'],
    ['{{/* unclosed', 'unclosed comment'],
    ['{{/* c */ }}', 'comment ends before closing delimiter'],
    ['{{ break }}', '{{ break }} outside {{ range }}'],
    ['{{ continue 1 }}', '{{ continue }} outside {{ range }}'],
  ])('reports bad syntax: %s', (template, message) => {
    const error = errorOf(template);
    expect(error.code).toBe('recipe-invalid');
    expect(error.message).toMatch(/^Dockerfile template, line 1, column 1: /);
    expect(error.message).toContain(message);
  });

  it('rejects arguments to break and continue', () => {
    expect(messageOf('{{ range .L }}{{ continue 1 }}{{ end }}')).toBe('Dockerfile template, line 1, column 15: unexpected "1" in {{ continue }}');
  });

  it('counts lines and columns across text, comments and multi-line actions', () => {
    expect(messageOf('{{/*\n\n*/}}  {{ end }}')).toBe('Dockerfile template, line 3, column 7: unexpected {{ end }}');
    expect(messageOf('{{ printf\n "%s" .A }}\n\tx {{ nope }}')).toBe('Dockerfile template, line 3, column 4: function "nope" not defined');
  });

  it('reports the first error in template order', () => {
    expect(messageOf('{{ end }}{{ "unterminated }}')).toContain('unexpected {{ end }}');
  });

  it.each([
    ['{{ .A.B }}', { A: 'str' }, "can't evaluate field B in type string"],
    ['{{ eq 1 "1" }}', {}, 'incompatible types for comparison'],
    ['{{ lt true false }}', {}, 'invalid type for comparison'],
    ['{{ not 1 2 }}', {}, 'wrong number of args for not: want 1 got 2'],
    ['{{ eq 1 }}', {}, 'missing argument for comparison'],
    ['{{ index .L 5 }}', { L: [1] }, 'index out of range: 5'],
    ['{{ len 3 }}', {}, 'len of type int'],
    ['{{ .A .B }}', {}, "can't give argument to non-function .A"],
    ['{{ nil }}', {}, 'nil is not a command'],
    ['{{ eq .A nil }}', {}, 'cannot pass nil to eq'],
    ['{{ range .S }}{{ end }}', { S: 'text' }, "range can't iterate over text"],
  ])('reports evaluation errors at the action: %s', (template, data, message) => {
    const error = errorOf(`x\n  ${template}`, data);
    expect(error.code).toBe('recipe-invalid');
    expect(error.message).toMatch(/^Dockerfile template, line 2, column 3: /);
    expect(error.message).toContain(message);
  });
});

describe('mergeTemplateValues', () => {
  it('lets inline values override values from a file, per top-level key', () => {
    const fromFile = { Image: 'debian', Tag: '12', Nested: { A: 1, B: 2 } };
    const inline = { Tag: '13', Nested: { A: 9 }, Extra: true };
    expect(mergeTemplateValues(fromFile, inline)).toEqual({ Image: 'debian', Tag: '13', Nested: { A: 9 }, Extra: true });
  });

  it('accepts either side missing and does not change its inputs', () => {
    const fromFile = { A: 1 };
    expect(mergeTemplateValues(fromFile, undefined)).toEqual({ A: 1 });
    expect(mergeTemplateValues(undefined, { B: 2 })).toEqual({ B: 2 });
    expect(mergeTemplateValues(undefined, undefined)).toEqual({});
    const merged = mergeTemplateValues(fromFile, { A: 2 });
    expect(fromFile).toEqual({ A: 1 });
    expect(merged).not.toBe(fromFile);
  });

  it('keeps the file value when the inline value is undefined, but not when it is null', () => {
    expect(mergeTemplateValues({ A: 1, B: 2 }, { A: undefined, B: null })).toEqual({ A: 1, B: null });
  });
});

describe('templateValueNames', () => {
  it('lists the top-level names a template reads, in order of first use', () => {
    const template = [
      'FROM {{ .BaseImage }}',
      '{{- range .Packages }}{{ . }}{{ .Name }}{{ $.Arch }}{{ end }}',
      '{{ with .Extra }}{{ .Inner }}{{ else }}{{ .Fallback }}{{ end }}',
      '{{ if .Debug.Enabled }}{{ .Debug.Level }}{{ end }}{{ index . "Weird-Key" }}{{ printf "%s" .BaseImage }}',
      '{{ $x := .Var }}{{ $x.NotTopLevel }}{{ if (eq .InParens "x") }}{{ end }}',
    ].join('\n');
    expect(templateValueNames(template)).toEqual(['BaseImage', 'Packages', 'Arch', 'Extra', 'Fallback', 'Debug', 'Weird-Key', 'Var', 'InParens']);
  });

  it('lists nothing for plain text or templates that only use dot and literals', () => {
    expect(templateValueNames('FROM debian:12\n')).toEqual([]);
    expect(templateValueNames('{{ . }}{{ "x" }}{{ $ }}')).toEqual([]);
  });

  it('throws the same error as rendering for a broken template', () => {
    expect(() => templateValueNames('{{ define "x" }}{{ end }}')).toThrow(AppError);
  });
});
