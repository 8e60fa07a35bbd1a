const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'long',
  timeStyle: 'short',
});

const dateFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long' });

/** « 3 mars 2026 à 14:05 », in the reader's own time zone. */
export function formatDateTime(isoDate: string): string {
  return dateTimeFormat.format(new Date(isoDate));
}

export function formatDate(isoDate: string): string {
  return dateFormat.format(new Date(isoDate));
}

/** Groups of four characters, the way a secret is read out or typed by hand. */
export function groupByFour(text: string): string {
  return text.replace(/(.{4})(?=.)/g, '$1 ');
}
