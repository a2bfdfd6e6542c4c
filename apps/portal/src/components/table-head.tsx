import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/lv';

/** A table's column headings, each a column header for screen readers. */
export function TableHead({ columns }: { columns: MessageKey[] }) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col">
            {t(c)}
          </th>
        ))}
      </tr>
    </thead>
  );
}
