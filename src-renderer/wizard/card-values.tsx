// The Flash step's per-card values: a hostname pattern previewed for every chosen card with the
// engine's own expansion (src-shared/flash/card-names.ts), and an extra cloud-config per card.
import type { RequestPayload } from '../../src-shared/api/contract.js';
import { cardConfigProblem } from '../../src-shared/flash/card-config.js';
import { expandHostnames, hostnamePatternProblem, type CardFacts } from '../../src-shared/flash/card-names.js';
import { Field } from '../components/field.js';

export interface CardValuesState {
  readonly hostname: string;
  /** Extra cloud-config keyed by target, so a card keeps its text when others are added or removed. */
  readonly configs: Readonly<Record<string, string>>;
}

export const NO_CARD_VALUES: CardValuesState = { hostname: '', configs: {} };

export interface CardPlan {
  readonly names?: ReadonlyArray<string>;
  readonly hostnameError?: string;
  readonly configErrors: ReadonlyArray<string | undefined>;
  /** What flash.start gets; undefined when every card is the image as it is. */
  readonly request?: NonNullable<RequestPayload<'flash.start'>['cards']>;
  readonly ok: boolean;
}

export function cardPlan(state: CardValuesState, cards: ReadonlyArray<CardFacts>): CardPlan {
  const pattern = state.hostname.trim();
  // Before any card is chosen the pattern's own text is still checked.
  const alone = pattern !== '' && cards.length === 0 ? hostnamePatternProblem(pattern, 'The hostname pattern') : undefined;
  const expanded = pattern !== '' && cards.length > 0 ? expandHostnames(pattern, cards, 'The hostname pattern') : alone ? { ok: false as const, message: alone } : undefined;
  const configs = cards.map((c) => state.configs[c.target] ?? '');
  const configErrors = configs.map((text, i) => cardConfigProblem(text, `Card ${i + 1}'s cloud-config`));
  const anyConfig = configs.some((c) => c.trim() !== '');
  const ok = (expanded?.ok ?? true) && configErrors.every((e) => e === undefined);
  const request = pattern !== '' || anyConfig ? { ...(pattern !== '' ? { hostname: pattern } : {}), ...(anyConfig ? { cloudConfig: configs } : {}) } : undefined;
  return {
    ...(expanded?.ok ? { names: expanded.names } : {}),
    ...(expanded && !expanded.ok ? { hostnameError: expanded.message } : {}),
    configErrors,
    ...(request ? { request } : {}),
    ok,
  };
}

export function CardValues(props: { readonly cards: ReadonlyArray<CardFacts>; readonly state: CardValuesState; readonly onChange: (state: CardValuesState) => void }) {
  const { cards, state, onChange } = props;
  const plan = cardPlan(state, cards);
  return (
    <fieldset className="card-values">
      <legend>Per-card values</legend>
      <Field
        label="Hostname pattern"
        hint={
          <>
            Each card boots with its own name: <code>{'{n}'}</code> is its number in the list below, <code>{'{serial}'}</code> its drive&apos;s serial. Empty: every
            card keeps the image&apos;s hostname.
          </>
        }
        error={plan.hostnameError}
      >
        {(a) => <input {...a} value={state.hostname} placeholder="node-{n}" autoComplete="off" spellCheck={false} onChange={(e) => onChange({ ...state, hostname: e.target.value })} />}
      </Field>
      {cards.length === 0 ? (
        <p className="hint">Choose the target drives above to see each card&apos;s values.</p>
      ) : (
        <ol className="card-list" aria-label="Cards">
          {cards.map((card, i) => (
            <li key={card.target} data-testid={`card-${i + 1}`}>
              <span className="card-title">
                Card {i + 1} <code>{card.target}</code>
                {plan.names && (
                  <>
                    {' '}
                    → hostname <strong>{plan.names[i]}</strong>
                  </>
                )}
              </span>
              <details>
                <summary>Extra cloud-config for card {i + 1}</summary>
                <Field label={`Card ${i + 1} extra cloud-config`} hint="Merged into the image's cloud-config on this card only (lists are added to, other values replaced)." error={plan.configErrors[i]}>
                  {(a) => (
                    <textarea
                      {...a}
                      rows={4}
                      spellCheck={false}
                      value={state.configs[card.target] ?? ''}
                      placeholder={'k3s:\n  enabled: true'}
                      onChange={(e) => onChange({ ...state, configs: { ...state.configs, [card.target]: e.target.value } })}
                    />
                  )}
                </Field>
              </details>
            </li>
          ))}
        </ol>
      )}
    </fieldset>
  );
}
