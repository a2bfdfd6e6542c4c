import { useState } from 'react';
import { api, ok } from '../api/client';
import { asApiProblem, type ApiProblem } from '../api/problem';
import type { ImportReport, InstitutionRow } from '../api/views';
import { Loading, ProblemAlert } from '../components/feedback';
import { TableHead } from '../components/table-head';
import { useLoad } from '../components/use-load';
import { formatDate } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/lv';

/** The registry as resorts with their subordinates; one institution's details on demand; the CSV import with its report. */
export function RegistryPage() {
  const { t, lang } = useI18n();
  const registry = useLoad(() => ok(api.GET('/institutions')), []);
  const [selected, setSelected] = useState<string>();
  return (
    <section aria-labelledby="registry-title">
      <h1 id="registry-title">{t('registryTitle')}</h1>
      <p>{t('registryLead')}</p>
      <ProblemAlert error={registry.error} />
      {!registry.data ? (
        <Loading />
      ) : (
        <>
          {registry.data.openCampaigns.length > 0 && (
            <div className="alert alert-info" role="status">
              {t('openCampaigns')}:{' '}
              {registry.data.openCampaigns.map((c) => `${c.institution} (${formatDate(c.deadline, lang)})`).join(', ')}
            </div>
          )}
          <table>
            <TableHead columns={['colRegNo', 'colName', 'colType', 'colStatus']} />
            <tbody>
              {registry.data.resorts.flatMap((head) => [
                <Row key={head.registrationNumber} row={head} onOpen={setSelected} />,
                ...(head.subordinates ?? []).map((s) => <Row key={s.registrationNumber} row={s} indent onOpen={setSelected} />),
              ])}
            </tbody>
          </table>
          {selected && <InstitutionDetails reg={selected} />}
        </>
      )}
      <CsvImport onImported={registry.reload} />
    </section>
  );
}

function Row({ row, indent = false, onOpen }: { row: InstitutionRow; indent?: boolean; onOpen: (reg: string) => void }) {
  const { t } = useI18n();
  return (
    <tr>
      <td className="code">{row.registrationNumber}</td>
      <th scope="row" className={indent ? 'indent' : undefined}>
        <button type="button" className="link-button" onClick={() => onOpen(row.registrationNumber)}>
          {row.officialName ?? row.registrationNumber}
        </button>
      </th>
      <td>{row.type ? t(`instType.${row.type}` as MessageKey) : '—'}</td>
      <td>{t(`instStatus.${row.status}` as MessageKey)}</td>
    </tr>
  );
}

function InstitutionDetails({ reg }: { reg: string }) {
  const { t } = useI18n();
  const inst = useLoad(() => ok(api.GET('/institutions/{reg}', { params: { path: { reg } } })), [reg]);
  if (inst.error) return <ProblemAlert error={inst.error} />;
  if (!inst.data) return <Loading />;
  const i = inst.data;
  return (
    <section className="card" aria-labelledby="inst-title">
      <h2 id="inst-title">{i.officialName}</h2>
      <dl className="details">
        <dt>{t('colRegNo')}</dt>
        <dd className="code">{i.registrationNumber}</dd>
        <dt>{t('colType')}</dt>
        <dd>{i.type ? t(`instType.${i.type}` as MessageKey) : '—'}</dd>
        <dt>{t('colVariant')}</dt>
        <dd>{i.coordinationVariant ? t(`variant.${i.coordinationVariant}` as MessageKey) : '—'}</dd>
        <dt>{t('colStatus')}</dt>
        <dd>{t(`instStatus.${i.status}` as MessageKey)}</dd>
        <dt>{t('colRepresentatives')}</dt>
        <dd className="code">{i.representatives.length ? i.representatives.join(', ') : t('none')}</dd>
      </dl>
    </section>
  );
}

/** The CLI's import over HTTP: the file is read in the browser and sent as text; check first (dry run), then import. */
function CsvImport({ onImported }: { onImported: () => void }) {
  const { t } = useI18n();
  const [csv, setCsv] = useState<string>();
  const [report, setReport] = useState<{ report: ImportReport; dryRun: boolean }>();
  const [error, setError] = useState<ApiProblem>();
  const run = async (dryRun: boolean) => {
    if (!csv) return;
    setError(undefined);
    try {
      const result = await ok(api.POST('/institutions/import', { body: { csv, dryRun } }));
      setReport({ report: result, dryRun });
      if (!dryRun) onImported();
    } catch (e) {
      setError(asApiProblem(e));
    }
  };
  const r = report?.report;
  return (
    <section aria-labelledby="import-title" className="card">
      <h2 id="import-title">{t('importTitle')}</h2>
      <p>{t('importLead')}</p>
      <div className="field">
        <label htmlFor="csv-file">{t('csvFile')}</label>
        <input id="csv-file" type="file" accept=".csv,text/csv" onChange={async (e) => setCsv(await e.target.files?.[0]?.text())} />
      </div>
      <div className="buttons">
        <button type="button" className="secondary" disabled={!csv} onClick={() => void run(true)}>
          {t('importCheck')}
        </button>
        <button type="button" disabled={!csv} onClick={() => void run(false)}>
          {t('importApply')}
        </button>
      </div>
      <ProblemAlert error={error} />
      {r && (
        <div className="report" role="status">
          <h3>
            {t('importReport')} {report.dryRun ? `(${t('importCheck')})` : ''}
          </h3>
          <dl className="details">
            <dt>{t('report.registered')}</dt>
            <dd>{(r.registered ?? []).join(', ') || '—'}</dd>
            <dt>{t('report.updated')}</dt>
            <dd>{(r.updated ?? []).map((u) => `${u.registrationNumber} (${u.fields.join(', ')})`).join('; ') || '—'}</dd>
            <dt>{t('report.unchanged')}</dt>
            <dd>{(r.unchanged ?? []).length}</dd>
            <dt>{t('report.notActive')}</dt>
            <dd>{(r.notActive ?? []).map((n) => n.registrationNumber).join(', ') || '—'}</dd>
            <dt>{t('report.refused')}</dt>
            <dd>
              {(r.refused ?? []).length === 0 ? '—' : (
                <ul className="plain">
                  {(r.refused ?? []).map((x, i) => (
                    <li key={i}>
                      {t('line', { line: x.line })}: {x.registrationNumber} — <Code code={x.code} fallback={x.message} />
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>{t('report.problems')}</dt>
            <dd>
              {(r.problems ?? []).length === 0 ? '—' : (
                <ul className="plain">
                  {(r.problems ?? []).map((x, i) => (
                    <li key={i}>
                      {t('line', { line: x.line })}: {x.field} — {x.message}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>{t('report.notInFile')}</dt>
            <dd>{(r.notInFile ?? []).join(', ') || '—'}</dd>
          </dl>
          <p>{t('report.appended', { count: r.appended })}</p>
        </div>
      )}
    </section>
  );
}

function Code({ code: c, fallback }: { code: string; fallback: string }) {
  const { code } = useI18n();
  return <>{code(c, fallback)}</>;
}
