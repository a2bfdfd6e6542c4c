import { useState } from 'react';
import { api, ok } from '../api/client';
import { asApiProblem, type ApiProblem } from '../api/problem';
import type { RightsGroup, Scope } from '../api/views';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/lv';
import { FieldErrors, Notice, ProblemAlert } from './feedback';
import { ScopeText } from './labels';
import { useLoad } from './use-load';

const GROUPS: RightsGroup[] = ['MANAGE', 'APPROVE', 'SIGN', 'VIEW', 'COORDINATE', 'COORDINATE_MIN'];

/**
 * Pievienot iestādes → tiesību grupas: institutions or a whole resort, each with its groups, the
 * rules explained where they bite, and the API's refusal shown at the scope and field it names.
 */
export function RightsEditor({ applicationId, institution, initial, onSaved }: { applicationId: string; institution: string; initial: Scope[]; onSaved: () => void }) {
  const { t, code } = useI18n();
  const [scopes, setScopes] = useState<Scope[]>(initial.length > 0 ? initial : [{ kind: 'institution', institution, groups: [] }]);
  const [newReg, setNewReg] = useState('');
  const [error, setError] = useState<ApiProblem>();
  const [warnings, setWarnings] = useState<string[]>();
  const own = useLoad(() => ok(api.GET('/institutions/{reg}', { params: { path: { reg: institution } } })).catch(() => undefined), [institution]);
  const heads = own.data && own.data.type !== 'subordinate';

  const targetOf = (s: Scope) => (s.kind === 'institution' ? s.institution : s.resort);
  const toggle = (i: number, group: RightsGroup) =>
    setScopes(scopes.map((s, j) => (j !== i ? s : { ...s, groups: s.groups.includes(group) ? s.groups.filter((g) => g !== group) : [...s.groups, group] })));
  const add = (kind: Scope['kind']) => {
    const reg = newReg.trim() || institution;
    if (scopes.some((s) => s.kind === kind && targetOf(s) === reg)) return;
    setScopes([...scopes, kind === 'institution' ? { kind, institution: reg, groups: [] } : { kind, resort: reg, groups: [] }]);
    setNewReg('');
  };
  const save = async () => {
    setError(undefined);
    setWarnings(undefined);
    try {
      const result = await ok(api.PUT('/applications/{id}/rights', { params: { path: { id: applicationId } }, body: { rights: scopes } }));
      setWarnings((result.warnings ?? []).map((w) => `${w.field}: ${code(w.code, w.message)}`));
      onSaved();
    } catch (e) {
      setError(asApiProblem(e));
    }
  };

  return (
    <div className="rights-editor">
      <aside className="rules" aria-labelledby="rules-title">
        <h3 id="rules-title">{t('rulesTitle')}</h3>
        <ul>
          <li>{t('ruleViewImplied')}</li>
          <li>{t('ruleResort')}</li>
          <li>{t('ruleCoordinateMin')}</li>
          <li>{own.data?.coordinationVariant ? t('ruleVariant', { variant: t(`variant.${own.data.coordinationVariant}` as MessageKey) }) : t('ruleVariantUnknown')}</li>
        </ul>
      </aside>
      <ProblemAlert error={error} fieldsShownInline />
      <FieldErrors id="rights-error" error={error?.at('rights').some((e) => e.field === 'rights') ? error : undefined} field="rights" />
      {scopes.map((scope, i) => {
        const field = `rights[${i}]`;
        const errorId = `scope-${i}-error`;
        const invalid = (error?.at(field).length ?? 0) > 0;
        return (
          <fieldset key={`${scope.kind}-${targetOf(scope)}`} className={invalid ? 'scope invalid' : 'scope'} aria-describedby={errorId}>
            <legend>{t('groupsOf', { scope: '' })}<ScopeText scope={scope} /></legend>
            <div className="groups">
              {GROUPS.map((g) => (
                <div className="field checkbox" key={g}>
                  <input id={`scope-${i}-${g}`} type="checkbox" checked={scope.groups.includes(g)} onChange={() => toggle(i, g)} aria-describedby={`scope-${i}-${g}-help`} />
                  <label htmlFor={`scope-${i}-${g}`}>{t(`group.${g}` as MessageKey)}</label>
                  <span id={`scope-${i}-${g}-help`} className="hint">
                    {t(`groupHelp.${g}` as MessageKey)}
                  </span>
                </div>
              ))}
            </div>
            <FieldErrors id={errorId} error={error} field={field} />
            <button type="button" className="link-button" onClick={() => setScopes(scopes.filter((_, j) => j !== i))}>
              {t('removeScope')}
            </button>
          </fieldset>
        );
      })}
      <div className="add-scope">
        <div className="field">
          <label htmlFor="scope-reg">{t('scopeRegNo')}</label>
          <input id="scope-reg" inputMode="numeric" placeholder={institution} value={newReg} onChange={(e) => setNewReg(e.target.value)} />
        </div>
        <button type="button" className="secondary" onClick={() => add('institution')}>
          {t('addInstitutionScope')}
        </button>
        {heads && (
          <button type="button" className="secondary" onClick={() => add('resort')}>
            {t('addResortScope')}
          </button>
        )}
      </div>
      {warnings && warnings.length > 0 && (
        <div className="alert alert-info" role="status">
          {t('warningsDropped')}
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {warnings && warnings.length === 0 && <Notice>{t('rightsSaved')}</Notice>}
      <div className="buttons">
        <button type="button" onClick={() => void save()}>
          {t('saveRights')}
        </button>
      </div>
    </div>
  );
}
