import { formatNumber } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../../platform/layout/forms.tsx'
import type { TerritorySummary } from '../queries.ts'
import { territoryPath } from '../views.tsx'

export function OtherTerritoriesPage({
  list,
  values,
  errors,
}: {
  list: TerritorySummary[]
  values: FormValues
  errors: FieldErrors
}) {
  const { t, locale } = usePage()
  const labels = {
    name: t('admin.field.name'),
    code: t('admin.field.code'),
    population: t('admin.field.population'),
    parentRefs: t('admin.field.parents'),
  }
  return (
    <>
      <h1>{t('admin.otherTerritories')}</h1>
      {list.length === 0 ? (
        <p>{t('admin.noOther')}</p>
      ) : (
        <ul>
          {list.map((territory) => (
            <li>
              <a href={territoryPath(territory)}>{territory.name}</a> ({territory.code}
              {territory.population !== null ? `, ${formatNumber(locale, territory.population)}` : ''})
            </li>
          ))}
        </ul>
      )}
      <h2 id="new-territory">{t('admin.newTerritory')}</h2>
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action="/admin/territoires">
        <Field name="name" label={labels.name} required value={values.name} error={errors.name} maxLength={200} />
        <Field name="code" label={labels.code} required value={values.code} error={errors.code} maxLength={64} />
        <Field
          name="population"
          label={labels.population}
          type="number"
          value={values.population}
          error={errors.population}
        />
        <Field
          name="parentRefs"
          label={labels.parentRefs}
          multiline
          value={values.parentRefs}
          error={errors.parentRefs}
        />
        <button type="submit">{t('form.save')}</button>
      </PostForm>
    </>
  )
}
