import type { EventView } from '../api/views';
import { formatInstant } from '../format';
import { useI18n } from '../i18n/i18n';

const EVENT_WORDS: Record<string, { lv: string; en: string }> = {
  ApplicationDrafted: { lv: 'Sagatave izveidota', en: 'Drafted' },
  DraftEdited: { lv: 'Sagatave labota', en: 'Draft edited' },
  RightsSet: { lv: 'Tiesības norādītas', en: 'Rights set' },
  ApplicationSubmitted: { lv: 'Nodots apstiprināšanai', en: 'Submitted' },
  ApplicationSigned: { lv: 'Parakstīts', en: 'Signed' },
  ApplicationWithdrawn: { lv: 'Pieteikums atsaukts', en: 'Withdrawn' },
  ApplicationClaimed: { lv: 'Paņemts izskatīšanai', en: 'Claimed' },
  ClaimReleased: { lv: 'Atlikts atpakaļ rindā', en: 'Put back in the queue' },
  ApplicationApproved: { lv: 'Apstiprināts', en: 'Approved' },
  ApplicationRejected: { lv: 'Noraidīts', en: 'Rejected' },
  ApplicationRevoked: { lv: 'Tiesības atceltas', en: 'Rights revoked' },
  ApplicationExpired: { lv: 'Termiņš beidzies', en: 'Expired' },
  ApplicationSuperseded: { lv: 'Aizstāts ar jaunāku pieteikumu', en: 'Superseded' },
  ApplicationEnded: { lv: 'Izbeigts', en: 'Ended' },
};

export function eventWords(type: string, lang: 'lv' | 'en'): string {
  return EVENT_WORDS[type]?.[lang] ?? type;
}

/** The application's events in order: what happened, when (Riga time), who; with each hash for auditors. */
export function Timeline({ events, showHashes = false }: { events: EventView[]; showHashes?: boolean }) {
  const { t, lang } = useI18n();
  return (
    <ol className="timeline">
      {events.map((e) => (
        <li key={e.id}>
          <span className="timeline-when">{formatInstant(e.occurredAt, lang)}</span>
          <span className="timeline-what">
            {Number(e.revision) + 1}. {eventWords(e.type, lang)}
          </span>
          <span className="timeline-who">
            {t('actor')}: <span className="code">{e.actor}</span>
          </span>
          {typeof e.data.reason === 'string' && <span className="timeline-reason">„{e.data.reason}”</span>}
          {showHashes && (
            <span className="timeline-hash code small">
              {t('hash')}: {e.hash?.slice(0, 16)}… ← {e.prevHash?.slice(0, 16)}…
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
