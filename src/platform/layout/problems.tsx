import { usePage } from './context.ts'

/** The problems that stopped an import (or a form of files), first a hundred, then how many more. */
export function ProblemList({ title, problems, total }: { title: string; problems: string[]; total?: number }) {
  const { t } = usePage()
  if (problems.length === 0) return null
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <p>{title}</p>
      <ul>
        {problems.map((p) => (
          <li>{p}</li>
        ))}
      </ul>
      {total !== undefined && total > problems.length && <p>{t('import.andMore', { count: total - problems.length })}</p>}
    </div>
  )
}
