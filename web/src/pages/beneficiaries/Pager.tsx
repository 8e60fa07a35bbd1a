import { fr } from '@codegouvfr/react-dsfr';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination.js';

/** The number of pages of `total` items shown `pageSize` at a time; one page when empty. */
export const pageCount = (total: number, pageSize: number) =>
  Math.max(1, Math.ceil(total / pageSize));

/**
 * The DSFR pagination of a list kept in the page's state: its links stay real links (to open a
 * page in a new tab), a plain click only changes the page shown. Nothing when all fits in one.
 */
export function Pager({
  id,
  page,
  total,
  pageSize,
  onPage,
}: {
  id: string;
  /** The page shown, from 1. */
  page: number;
  total: number;
  pageSize: number;
  onPage: (page: number) => void;
}) {
  const count = pageCount(total, pageSize);
  if (count <= 1) return null;
  return (
    <Pagination
      id={id}
      count={count}
      defaultPage={page}
      showFirstLast
      className={fr.cx('fr-mt-2w')}
      getPageLinkProps={(pageNumber) => ({
        href: `?page=${pageNumber}`,
        onClick: (event) => {
          event.preventDefault();
          onPage(pageNumber);
        },
      })}
    />
  );
}
