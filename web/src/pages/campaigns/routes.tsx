import type { ResolvedPage } from '../../routes.js';
import { AttributionPage, attributionPageTitle } from '../AttributionPage.js';
import { CampaignPage, campaignPageTitle } from '../CampaignPage.js';
import { CampaignsPage, campaignsPageTitle } from '../CampaignsPage.js';
import { EnvelopePage, envelopePageTitle } from '../EnvelopePage.js';
import { NewCampaignPage, newCampaignPageTitle } from '../NewCampaignPage.js';
import { WalletPage, walletPageTitle } from '../WalletPage.js';

/** The campaigns' and wallet's pages at a fixed address. */
export const campaignFixedPages: [string, () => ResolvedPage][] = [
  ['/campagnes', () => ({ title: campaignsPageTitle, content: <CampaignsPage /> })],
  ['/campagnes/nouvelle', () => ({ title: newCampaignPageTitle, content: <NewCampaignPage /> })],
  ['/mes-aides', () => ({ title: walletPageTitle, content: <WalletPage /> })],
];

/** A campaign, an attribution or an envelope, by the id in the address. */
export function campaignPageWithParameter(path: string): ResolvedPage | undefined {
  const campaign = /^\/campagnes\/(\d+)$/.exec(path);
  if (campaign !== null) {
    const campaignId = Number(campaign[1]);
    const content = <CampaignPage key={campaignId} campaignId={campaignId} />;
    return { title: campaignPageTitle, content };
  }
  const attribution = /^\/attributions\/(\d+)$/.exec(path);
  if (attribution !== null) {
    const attributionId = Number(attribution[1]);
    const content = <AttributionPage key={attributionId} attributionId={attributionId} />;
    return { title: attributionPageTitle, content };
  }
  const envelope = /^\/mes-aides\/(\d+)$/.exec(path);
  if (envelope !== null) {
    const attributionId = Number(envelope[1]);
    const content = <EnvelopePage key={attributionId} attributionId={attributionId} />;
    return { title: envelopePageTitle, content };
  }
  return undefined;
}
