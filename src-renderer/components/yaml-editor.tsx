// The YAML editor (CodeMirror 6), in its own chunk. It lives in a shadow root: there CodeMirror
// styles itself with constructed style sheets instead of <style> elements, which the app's
// Content-Security-Policy (style-src 'self') would block. Tab indents; Esc then Tab leaves.
import { useEffect, useRef } from 'react';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { HighlightStyle, bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';

// Colours come from the page's custom properties, which inherit into the shadow root.
const theme = EditorView.theme({
  '&': { color: 'var(--text)', backgroundColor: 'var(--code-bg)', maxHeight: '360px', fontSize: '13px' },
  '.cm-scroller': { fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, monospace", overflow: 'auto' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-gutters': { backgroundColor: 'var(--code-bg)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'transparent' },
  '&.cm-focused': { outline: '3px solid var(--focus)' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--text)' },
});

// Token colours from the page's theme too (styles.css, --syn-*): CodeMirror's default style is made
// for a light background, and its keys (#00c) were unreadable on the dark theme's editor (1.7:1).
const highlight = HighlightStyle.define([
  { tag: [tags.definition(tags.propertyName), tags.propertyName], color: 'var(--syn-key)' },
  { tag: [tags.string, tags.special(tags.string), tags.attributeValue], color: 'var(--syn-string)' },
  { tag: [tags.atom, tags.bool, tags.number, tags.literal, tags.labelName, tags.typeName], color: 'var(--syn-atom)' },
  { tag: [tags.comment, tags.lineComment, tags.meta], color: 'var(--syn-comment)' },
  { tag: tags.keyword, color: 'var(--syn-keyword)' },
  { tag: tags.invalid, color: 'var(--danger)' },
]);

export function YamlEditor(props: { readonly value: string; readonly onChange: (value: string) => void; readonly label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  const onChange = useRef(props.onChange);
  useEffect(() => {
    onChange.current = props.onChange;
  }, [props.onChange]);

  useEffect(() => {
    if (!host.current) return;
    const shadow = host.current.shadowRoot ?? host.current.attachShadow({ mode: 'open' });
    const editor = new EditorView({
      parent: shadow,
      root: shadow,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(highlight),
          theme,
          yaml(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          // tabindex: axe counts a scrolled editor as reachable by keyboard only through a tab stop it knows.
          EditorView.contentAttributes.of({ 'aria-label': props.label, 'aria-multiline': 'true', tabindex: '0' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChange.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Changes from the form are written into the editor without moving the user's cursor far.
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current !== props.value) editor.dispatch({ changes: { from: 0, to: current.length, insert: props.value } });
  }, [props.value]);

  return <div className="yaml-editor" ref={host} data-testid="yaml-editor" />;
}
