import { apiRequest } from '../identity/api.js';
import type {
  AttributionStatus,
  AttributionView,
  CampaignAttributionPage,
  CampaignView,
  Envelope,
  EnvelopeDetails,
  FunderSettings,
  NewCampaign,
  StatusChange,
} from './types.js';

const segment = (value: string | number) => encodeURIComponent(`${value}`);
const campaignPath = (campaignId: number) => `/api/campaigns/${segment(campaignId)}`;
const attributionPath = (attributionId: number) => `/api/attributions/${segment(attributionId)}`;
const settingsPath = (organisationId: number) =>
  `/api/organisations/${segment(organisationId)}/funder-settings`;
const post = <Answer>(path: string, body?: unknown) =>
  apiRequest<Answer>(path, { method: 'POST', body });

export const campaignsApi = {
  campaigns: async (programmeId?: number) => {
    const query = programmeId === undefined ? '' : `?programmeId=${segment(programmeId)}`;
    return (await apiRequest<{ campaigns: CampaignView[] }>(`/api/campaigns${query}`)).campaigns;
  },
  campaign: (campaignId: number) => apiRequest<CampaignView>(campaignPath(campaignId)),
  /** Answers at once: the simulation runs on the server, to follow on the campaign. */
  create: (campaign: NewCampaign) => post<CampaignView>('/api/campaigns', campaign),
  approve: (campaignId: number) => post<CampaignView>(`${campaignPath(campaignId)}/approve`),
  cancel: (campaignId: number, reason: string) =>
    post<CampaignView>(`${campaignPath(campaignId)}/cancel`, { reason }),
  attributions: (
    campaignId: number,
    page: { offset: number; limit: number; status?: AttributionStatus },
  ) => {
    const query = new URLSearchParams({ offset: `${page.offset}`, limit: `${page.limit}` });
    if (page.status !== undefined) query.set('status', page.status);
    return apiRequest<CampaignAttributionPage>(
      `${campaignPath(campaignId)}/attributions?${query.toString()}`,
    );
  },
};

export const attributionsApi = {
  attribution: (attributionId: number) =>
    apiRequest<AttributionView>(attributionPath(attributionId)),
  changeStatus: (attributionId: number, change: StatusChange, reason: string) =>
    post<AttributionView>(`${attributionPath(attributionId)}/${change}`, { reason }),
};

export const funderSettingsApi = {
  settings: (organisationId: number) => apiRequest<FunderSettings>(settingsPath(organisationId)),
  save: (organisationId: number, settings: FunderSettings) =>
    apiRequest<FunderSettings>(settingsPath(organisationId), { method: 'PUT', body: settings }),
};

/** The wallet of the person logged in, or of the person an aidant acts for. */
export const walletApi = {
  envelopes: async (onBehalfOf?: number) =>
    (await apiRequest<{ envelopes: Envelope[] }>('/api/me/wallet', { onBehalfOf })).envelopes,
  envelope: (attributionId: number, onBehalfOf?: number) =>
    apiRequest<EnvelopeDetails>(`/api/me/wallet/envelopes/${segment(attributionId)}`, {
      onBehalfOf,
    }),
};
