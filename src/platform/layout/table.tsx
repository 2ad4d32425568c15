import type { ComponentChildren } from 'preact'

/**
 * A data table that scrolls sideways on small screens instead of widening the page, with its column headings and an
 * optional caption. Rows are the children, each `<tr>` with a `<th scope="row">` where a row has a name.
 */
export function Table({
  headings,
  caption,
  class: className,
  children,
}: {
  headings: ComponentChildren[]
  caption?: ComponentChildren
  class?: string
  children: ComponentChildren
}) {
  return (
    <div class="table-scroll">
      <table class={className}>
        {caption !== undefined && <caption>{caption}</caption>}
        <thead>
          <tr>
            {headings.map((heading) => (
              <th scope="col">{heading}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}
