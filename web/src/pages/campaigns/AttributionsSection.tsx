import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { DataTable } from '../../components/DataTable.js';
import { Loaded, useResource } from '../../components/resource.js';
import { attributionStatusLabels } from '../../beneficiaries/format.js';
import { campaignsApi } from '../../campaigns/api.js';
import { attributionStatusSeverities, capitalised } from '../../campaigns/format.js';
import type {
  AttributionStatus,
  CampaignAttributionRow,
  CampaignView,
} from '../../campaigns/types.js';
import { formatCents, formatCount } from '../../programmes/money.js';
import { AppLink } from '../../routing.js';
import { Pager } from '../beneficiaries/Pager.js';

const pageSize = 20;

function Explanation({ row }: { row: CampaignAttributionRow }) {
  return (
    <details>
      <summary>{`Explication (${row.explanation.length} étapes)`}</summary>
      <ol className={fr.cx('fr-text--sm', 'fr-mb-0')}>
        {row.explanation.map((sentence, index) => (
          <li key={index}>{sentence}</li>
        ))}
      </ol>
    </details>
  );
}

function AttributionRows({ rows }: { rows: CampaignAttributionRow[] }) {
  return (
    <DataTable
      caption="Attributions de la campagne, avec l’explication de chacune"
      headers={['Bénéficiaire', 'Commune', 'Montant', 'Statut', 'Pourquoi ce montant']}
      rows={rows.map((row) => [
        <AppLink key="beneficiaire" href={`/attributions/${row.id}`}>
          {row.beneficiaryName}
        </AppLink>,
        row.communeCode ?? '—',
        formatCents(row.amountCents),
        <Badge key="statut" small severity={attributionStatusSeverities[row.status]}>
          {capitalised(row.statusLabel)}
        </Badge>,
        <Explanation key="explication" row={row} />,
      ])}
    />
  );
}

/**
 * The attributions the campaign proposed, then credited, a page at a time; read again each time
 * the campaign moves on, so that statuses follow the crediting.
 */
export function AttributionsSection({ campaign }: { campaign: CampaignView }) {
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<AttributionStatus | ''>('');
  const offset = (page - 1) * pageSize;
  const { resource } = useResource(
    () =>
      campaignsApi.attributions(campaign.id, {
        offset,
        limit: pageSize,
        ...(status === '' ? {} : { status }),
      }),
    `attributions-${campaign.id}-${offset}-${status}-${campaign.status}-${campaign.creditedCount}`,
  );
  return (
    <section aria-labelledby="campagne-attributions" className={fr.cx('fr-mb-6w')}>
      <h2 id="campagne-attributions">Attributions</h2>
      <Select
        label="Statut"
        className="field-narrow"
        nativeSelectProps={{
          id: 'campagne-attributions-statut',
          value: status,
          onChange: (event) => {
            setStatus(event.target.value as AttributionStatus | '');
            setPage(1);
          },
        }}
      >
        <option value="">Tous les statuts</option>
        {Object.entries(attributionStatusLabels).map(([code, label]) => (
          <option key={code} value={code}>
            {label}
          </option>
        ))}
      </Select>
      <Loaded resource={resource}>
        {({ attributions, total }) =>
          total === 0 ? (
            <p>Aucune attribution{status === '' ? '' : ' avec ce statut'}.</p>
          ) : (
            <>
              <p>{`${formatCount(total)} attributions ; ${formatCount(offset + 1)} à ${formatCount(offset + attributions.length)} ci-dessous.`}</p>
              <AttributionRows rows={attributions} />
              <Pager
                id="campagne-attributions-pages"
                page={page}
                total={total}
                pageSize={pageSize}
                onPage={setPage}
              />
            </>
          )
        }
      </Loaded>
    </section>
  );
}
