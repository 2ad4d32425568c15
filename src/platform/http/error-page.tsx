import { usePage } from '../layout/context.ts'

/** The body of every error page: what happened, in words, and a way on. */
export function ErrorPage({ status, message, lead }: { status: number; message: string; lead?: string }) {
  const { t } = usePage()
  return (
    <div class="error-page">
      <h1>
        {t('error.title')} {status}
      </h1>
      <p class="lead">{message}</p>
      {lead && <p>{lead}</p>}
      <p>
        <a href="/">{t('error.backHome')}</a> · <a href="/territoires">{t('nav.territories')}</a>
      </p>
    </div>
  )
}
