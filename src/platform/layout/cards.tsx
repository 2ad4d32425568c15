import type { ComponentChildren } from 'preact'

export interface Card {
  href: string
  title: string
  /** the line above the title (phase, territory…) */
  kicker: ComponentChildren
  /** paragraphs under the title, the `meta` ones in the discreet style of dates and counts */
  lines: { text: ComponentChildren; meta?: boolean }[]
}

/**
 * A list page of cards (consultations, texts, assemblies…): a link back to the territory when there is one, the
 * title and lead, a button for those who may create one, and the cards or a sentence saying there are none.
 */
export function CardListPage(props: {
  back?: { name: string; path: string }
  title: string
  lead: string
  create?: { href: string; label: string } | null
  empty: string
  cards: Card[]
}) {
  return (
    <>
      {props.back && (
        <p class="kicker">
          <a href={props.back.path}>{props.back.name}</a>
        </p>
      )}
      <h1>{props.title}</h1>
      <p class="lead">{props.lead}</p>
      {props.create && (
        <p>
          <a class="button" href={props.create.href}>
            {props.create.label}
          </a>
        </p>
      )}
      {props.cards.length === 0 ? (
        <p>{props.empty}</p>
      ) : (
        <ul class="cards">
          {props.cards.map((card) => (
            <li class="card">
              <p class="kicker">{card.kicker}</p>
              <h2 class="card-title">
                <a href={card.href}>{card.title}</a>
              </h2>
              {card.lines.map((line) => (line.meta ? <p class="meta">{line.text}</p> : <p>{line.text}</p>))}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
