import { useState } from 'react';
import { asApiProblem, type ApiProblem } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/lv';

/**
 * A page's commands on what it shows: each clears the last outcome, then says it is done and
 * reloads, or keeps the problem to show. `run` resolves to whether the command succeeded.
 */
export function useCommand(reload: () => void) {
  const { t } = useI18n();
  const [error, setError] = useState<ApiProblem>();
  const [notice, setNotice] = useState<string>();
  const run = async (call: () => Promise<unknown>, done: MessageKey): Promise<boolean> => {
    setError(undefined);
    setNotice(undefined);
    try {
      await call();
      setNotice(t(done));
      reload();
      return true;
    } catch (e) {
      setError(asApiProblem(e));
      return false;
    }
  };
  return { run, error, notice, setNotice };
}
