import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Loaded, useResource } from '../../components/resource.js';
import { identityApi } from '../../identity/api.js';
import { formatDateTime } from '../../identity/format.js';

/** What the platform told the person (a mandate about to end, a new device…), newest first. */
export function NotificationsSection() {
  const { resource } = useResource(identityApi.notifications, 'notifications');
  return (
    <section aria-labelledby="compte-notifications" className={fr.cx('fr-mb-6w')}>
      <h2 id="compte-notifications">Notifications</h2>
      <Loaded resource={resource}>
        {(notifications) =>
          notifications.length === 0 ? (
            <p>Aucune notification.</p>
          ) : (
            <ul className={fr.cx('fr-raw-list')}>
              {notifications.map((notification) => (
                <li key={notification.id} className="notification">
                  <h3 className={fr.cx('fr-h6', 'fr-mb-1w')}>{notification.subject}</h3>
                  <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
                    {formatDateTime(notification.createdAt)}
                    {notification.readAt === null && (
                      <Badge small severity="new" as="span" className={fr.cx('fr-ml-1w')}>
                        Non lue
                      </Badge>
                    )}
                  </p>
                  <p className={fr.cx('fr-mb-0')}>{notification.body}</p>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}
