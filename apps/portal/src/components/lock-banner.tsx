import { useState } from 'react';
import { api, ok } from '../api/client';
import { formatDate } from '../format';
import { useI18n } from '../i18n/i18n';
import { navigate, usePath } from '../router';
import { ownInstitution, useSession } from '../session';
import { useLoad } from './use-load';

const DISMISSED = 'atlauja.campaign-understood';

/**
 * Seed 000's notice: while a re-certification is open, the institution is locked; its
 * representative is told so at every page, with "Aktualizēt iestādi" and "Sapratu".
 */
export function LockBanner() {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const path = usePath();
  const institution = ownInstitution(session);
  const inst = useLoad(() => (institution ? ok(api.GET('/institutions/{reg}', { params: { path: { reg: institution } } })).catch(() => undefined) : Promise.resolve(undefined)), [institution, path]);
  const [dismissed, setDismissed] = useState(() => sessionStorage.getItem(DISMISSED));
  const campaign = inst.data?.openCampaign;
  if (!campaign) return null;
  const understood = dismissed === campaign.campaignId;
  return (
    <div className={understood ? 'lock-banner compact' : 'lock-banner'} role="region" aria-labelledby="lock-title">
      <p id="lock-title">
        <strong>{t('lockBannerTitle', { inst: inst.data?.officialName ?? institution ?? '', date: formatDate(campaign.deadline, lang) })}</strong>
      </p>
      {!understood && <p>{t('lockBannerRepresentative')}</p>}
      <div className="buttons">
        {path !== '/aktualizacija' && (
          <button type="button" onClick={() => navigate('/aktualizacija')}>
            {t('recertify')}
          </button>
        )}
        {!understood && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              sessionStorage.setItem(DISMISSED, campaign.campaignId);
              setDismissed(campaign.campaignId);
            }}
          >
            {t('understood')}
          </button>
        )}
      </div>
    </div>
  );
}
