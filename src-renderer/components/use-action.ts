// A button's work with its failure kept for an ErrorBox: cleared when the work starts again.
import { useState } from 'react';
import type { AppErrorData } from '../../src-shared/errors/app-error.js';
import { toErrorData } from './error-box.js';

export function useAction(): readonly [AppErrorData | undefined, (work: () => Promise<void>) => Promise<void>] {
  const [error, setError] = useState<AppErrorData | undefined>();
  const run = async (work: () => Promise<void>): Promise<void> => {
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(toErrorData(e));
    }
  };
  return [error, run];
}
