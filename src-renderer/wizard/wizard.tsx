// The wizard frame: the step list (a real nav, keyboard friendly), the current step, and
// Back/Next, with Next disabled until the step is valid.
import type { ReactElement, RefObject } from 'react';
import { useRef, useLayoutEffect, useState } from 'react';
import { useFocusTitle } from '../components/focus-title.js';
import { useAppStore } from '../stores/app-store.js';
import { useRecipeStore } from '../stores/recipe-store.js';
import { STEPS, reachable, stepIssues, stepProblems, stepValid, type StepId } from './steps.js';
import { StepArtifacts } from './step-artifacts.js';
import { StepBuild } from './step-build.js';
import { StepCloudConfig } from './step-cloud-config.js';
import { StepFlash } from './step-flash.js';
import { StepReview } from './step-review.js';
import { StepSource } from './step-source.js';
import { StepSystem } from './step-system.js';
import { StepTrustedBoot } from './step-trusted-boot.js';
import { unshownProblems } from './unshown-problems.js';

const VIEWS: Record<StepId, () => ReactElement> = {
  source: StepSource,
  system: StepSystem,
  'trusted-boot': StepTrustedBoot,
  'cloud-config': StepCloudConfig,
  artifacts: StepArtifacts,
  review: StepReview,
  build: StepBuild,
  flash: StepFlash,
};

export function StepNav() {
  const step = useAppStore((s) => s.step);
  // On the start screen, in the flash door or the history no step is the current one.
  const inWizard = useAppStore((s) => s.door === 'build' && s.view === 'wizard');
  const blockers = useAppStore((s) => s.blockers);
  const set = useAppStore((s) => s.set);
  const issues = useRecipeStore((s) => s.issues);
  return (
    <nav aria-label="Wizard steps">
      <ol className="step-nav">
        {STEPS.map((s, i) => {
          const valid = stepValid(issues, s, blockers);
          const open = reachable(issues, i, blockers);
          return (
            <li key={s.id}>
              <button
                type="button"
                aria-current={inWizard && s.id === step ? 'step' : undefined}
                disabled={!open}
                className={`${valid || i >= 5 ? '' : 'has-issues'}`}
                onClick={() => set({ step: s.id })}
              >
                <span className="step-number" aria-hidden="true">
                  {i + 1}
                </span>
                {s.title}
                {!valid && i < 5 && <span className="sr-only"> (needs attention)</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/**
 * The problem messages the step shows right now (visible field errors and problem lists), measured
 * after each render and when a section opens or closes, so the footer can list the others.
 */
function useShownProblemTexts(body: RefObject<HTMLDivElement | null>): ReadonlyArray<string> {
  const [texts, setTexts] = useState<ReadonlyArray<string>>([]);
  useLayoutEffect(() => {
    const root = body.current;
    if (!root) return;
    const measure = (): void => {
      const now = [...root.querySelectorAll<HTMLElement>('.error, .issues li')].filter((el) => el.checkVisibility()).map((el) => el.textContent ?? '');
      setTexts((before) => (before.length === now.length && before.every((t, i) => t === now[i]) ? before : now));
    };
    measure();
    root.addEventListener('toggle', measure, true);
    return () => root.removeEventListener('toggle', measure, true);
  });
  return texts;
}

export function Wizard() {
  const step = useAppStore((s) => s.step);
  const blockers = useAppStore((s) => s.blockers);
  const set = useAppStore((s) => s.set);
  const issues = useRecipeStore((s) => s.issues);
  const index = STEPS.findIndex((s) => s.id === step);
  const info = STEPS[index]!;
  const View = VIEWS[step];
  const valid = stepValid(issues, info, blockers);
  const problems = stepProblems(issues, info, blockers);
  const heading = useRef<HTMLDivElement>(null);
  useFocusTitle(heading, step);
  const shownTexts = useShownProblemTexts(heading);
  const own = stepIssues(issues, info);
  // The footer counts `problems`: the fields' issues (named after their field) and the other blockers.
  const unshown = valid ? [] : unshownProblems(own, problems.filter((m) => !own.some((i) => i.message === m)), shownTexts);

  const editing = index < STEPS.findIndex((s) => s.id === 'review');
  return (
    <div className="wizard">
      <div ref={heading} className="step-body">
        <View />
      </div>
      {editing && unshown.length > 0 && (
        <ul className="issues step-problems" aria-label="Problems on this step">
          {unshown.map((p, n) => (
            <li key={n} className="error">
              {p.field ? <strong>{p.field}: </strong> : null}
              {p.message}
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <div className="wizard-footer">
          <button type="button" className="secondary" disabled={index === 0} onClick={() => set({ step: STEPS[index - 1]!.id })}>
            Back
          </button>
          <span className="footer-status" role="status" aria-live="polite">
            {valid ? '' : `${problems.length} problem${problems.length === 1 ? '' : 's'} to fix on this step`}
          </span>
          <button type="button" className="primary" disabled={!valid} data-testid="next" onClick={() => set({ step: STEPS[index + 1]!.id })}>
            Next
          </button>
        </div>
      )}
    </div>
  );
}
