// A card's own cloud-config: the image's (COS_OEM/90_custom.yaml) with the card's extra
// cloud-config merged in and its hostname set. Pure; the flash job writes the result into the
// card's COS_OEM (and, for a plain image, the cloud-init user-data made from it).
//
// Merge rules, the same at every depth: mappings merge key by key, lists are appended to (a card's
// extra user is added to the image's), anything else is replaced by the card's value. The hostname
// is set last, at the top level and in any stage that sets one, so the card's name wins wherever
// the image named itself. Edits are made on the parsed YAML document, so the image's comments and
// layout stay; Go templates ({{ .MachineID }}) are kept as they are for Kairos to render.
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { validateCloudConfig } from '../cloud-config/cloud-config.js';

export interface CardValues {
  readonly hostname?: string;
  /** Extra cloud-config for this card (YAML mapping; the #cloud-config line is optional). */
  readonly cloudConfig?: string;
}

const TEMPLATE = /\{\{.*?\}\}/g;
const HEADER = /^#(cloud|kairos|node)-config\b/;

/**
 * Templates out of the YAML's way (a bare {{ }} is a flow mapping to YAML), and back; `tag` keeps
 * the image's and the card's placeholders apart. Quotes around a template stay in the text.
 */
function protect(text: string, tag: string): { readonly text: string; readonly restore: (out: string) => string } {
  const templates: string[] = [];
  const placeholder = (i: number): string => `KF${tag}${i}X`;
  const hidden = text.replace(TEMPLATE, (whole) => placeholder(templates.push(whole) - 1));
  return { text: hidden, restore: (out) => templates.reduce((s, t, i) => s.split(placeholder(i)).join(t), out) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a card's extra cloud-config cannot be used (`what` names it: "card 2's cloud-config"), or undefined. */
export function cardConfigProblem(text: string, what: string): string | undefined {
  if (text.trim() === '') return undefined;
  const headed = HEADER.test(text.trimStart());
  const issues = validateCloudConfig(headed ? text : `#cloud-config\n${text}`).filter((i) => i.severity === 'error');
  const first = issues[0];
  if (!first) return undefined;
  const line = first.line !== undefined ? first.line - (headed ? 0 : 1) : undefined;
  return `${what}${line !== undefined && line > 0 ? ` (line ${line})` : ''}: ${first.message}`;
}

/** Merges the card's YAML node into the image's document at `path` (nodes, so quoting stays). */
function mergeInto(doc: Document, path: ReadonlyArray<unknown>, value: unknown): void {
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(value) && (path.length === 0 || isMap(node))) {
    for (const pair of value.items) mergeInto(doc, [...path, isScalar(pair.key) ? pair.key.value : pair.key], pair.value);
  } else if (isSeq(value) && isSeq(node)) {
    for (const item of value.items) doc.addIn(path, item);
  } else {
    doc.setIn(path, value);
  }
}

/** The card's cloud-config text: the image's with the card's values in. */
export function cardCloudConfig(base: string, values: CardValues): string {
  const baseText = protect(base, 'IMAGE');
  const doc = parseDocument(baseText.text);
  if (doc.errors.length > 0) throw new Error(`the image's cloud-config is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new Error("the image's cloud-config is not a mapping");
  const extra = protect(values.cloudConfig ?? '', 'CARD');
  if (extra.text.trim() !== '') {
    const card = parseDocument(extra.text);
    if (card.errors.length > 0 || !isMap(card.contents)) throw new Error("the card's cloud-config is not a YAML mapping");
    mergeInto(doc, [], card.contents);
  }
  if (values.hostname !== undefined) {
    doc.setIn(['hostname'], values.hostname);
    const stages: unknown = doc.getIn(['stages']) === undefined ? undefined : (doc.toJS() as Record<string, unknown>).stages;
    if (isRecord(stages)) {
      for (const [stage, steps] of Object.entries(stages)) {
        if (!Array.isArray(steps)) continue;
        steps.forEach((step: unknown, i) => {
          if (isRecord(step) && 'hostname' in step) doc.setIn(['stages', stage, i, 'hostname'], values.hostname);
        });
      }
    }
  }
  const out = extra.restore(baseText.restore(doc.toString({ lineWidth: 0 })));
  return HEADER.test(out.trimStart()) ? out : `#cloud-config\n${out}`;
}
