import { sql } from 'drizzle-orm'
import { loadCurrentUser, type CurrentUser } from '../platform/auth/current-user.ts'
import { hashPassword } from '../platform/auth/passwords.ts'
import { recordAudit } from '../platform/audit.ts'
import { queryRows, type Db } from '../platform/db/index.ts'
import { todayInParis } from '../platform/paris-time.ts'
import { comment, contribute, createConsultation, setSupport } from '../modules/consultations/index.ts'
import { createGroup } from '../modules/groups/index.ts'
import { answerQuestion, askQuestion, moderateQuestion } from '../modules/questions/index.ts'
import { createText, proposeAmendment, voteOnAmendment } from '../modules/texts/index.ts'
import { createEvent, parisInstant, register } from '../modules/events/index.ts'

/** Demonstration citizens: fictitious, labelled so wherever they show. */
export const DEMO_CITIZENS = [
  {
    email: 'habitante@demo.thc.example',
    displayName: 'Dominique Habitante (démonstration)',
    password: 'demo-habitante-thc',
  },
  { email: 'voisin@demo.thc.example', displayName: 'Lou Voisin (démonstration)', password: 'demo-voisin-thc' },
] as const

const CONSULTATION_TITLE = 'Quelles priorités pour les mobilités du quotidien ? (démonstration)'

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

async function person(db: Db, email: string): Promise<CurrentUser> {
  const [row] = await queryRows<{ id: string; sessionVersion: number }>(
    db,
    sql`select id, session_version as "sessionVersion" from users where email = ${email}`,
  )
  const user = row ? await loadCurrentUser(db, row.id, row.sessionVersion) : null
  if (!user) throw new Error(`demo account ${email} is missing`)
  return user
}

/**
 * Citizens' participation in the demo territory (once: skipped when its consultation exists): two citizens, an
 * open consultation with contributions, supports and a comment, a text under co-construction with an amendment,
 * a question answered by the elected official, a Groupe Action Projet and a public meeting, all through the
 * same services as the site, so that each leaves its audit trace.
 */
export async function seedDemoParticipation(db: Db, territoryRef: string): Promise<boolean> {
  const [territory] = await queryRows<{ id: string }>(
    db,
    sql`select id from territories where kind || '/' || code = ${territoryRef}`,
  )
  if (!territory) return false
  if (
    (
      await queryRows(
        db,
        sql`select 1 from consultations where territory_id = ${territory.id} and title = ${CONSULTATION_TITLE}`,
      )
    ).length > 0
  )
    return false
  for (const citizen of DEMO_CITIZENS) {
    const passwordHash = await hashPassword(citizen.password)
    const rows = await queryRows<{ id: string }>(
      db,
      sql`insert into users (email, display_name, password_hash, email_confirmed_at) values (${citizen.email}, ${citizen.displayName}, ${passwordHash}, now())
          on conflict (email) where email is not null do nothing returning id`,
    )
    if (rows[0])
      await recordAudit(db, {
        actorId: null,
        action: 'demo.account_created',
        subjectType: 'user',
        subjectId: rows[0].id,
      })
  }
  const [agent, elected, admin, dominique, lou] = await Promise.all(
    [
      'agent@demo.thc.example',
      'elue@demo.thc.example',
      'admin@demo.thc.example',
      DEMO_CITIZENS[0].email,
      DEMO_CITIZENS[1].email,
    ].map((email) => person(db, email)),
  )
  const [commitment] = await queryRows<{ id: string }>(
    db,
    sql`select id from commitments where territory_id = ${territory.id} order by position limit 1`,
  )
  const today = todayInParis()

  const consultation = await createConsultation(db, {
    actor: agent!,
    territoryId: territory.id,
    input: {
      title: CONSULTATION_TITLE,
      question: 'Pour aller à l’école, au travail ou au marché, qu’est-ce qui changerait vos trajets ?',
      context:
        'Le Pays prépare son plan de mobilité. Vos idées, avis et critiques seront lus un par un ; chacun recevra une réponse.\n\n*Consultation de démonstration.*',
      opensOn: addDays(today, -7),
      closesOn: addDays(today, 21),
      commitmentId: commitment?.id ?? null,
    },
    publish: true,
  })
  const bike = await contribute(db, {
    actor: dominique!,
    consultationId: consultation.id,
    input: {
      kind: 'idea',
      title: 'Une piste cyclable entre la gare et le collège',
      body: 'Les collégiens pourraient venir à vélo en sécurité : aujourd’hui la départementale est trop dangereuse.',
    },
    today,
  })
  const bus = await contribute(db, {
    actor: lou!,
    consultationId: consultation.id,
    input: {
      kind: 'critique',
      title: 'Le bus du samedi passe trop tôt',
      body: 'Le dernier bus part à 17 h : impossible de rentrer du marché de l’après-midi.',
    },
    today,
  })
  await contribute(db, {
    actor: lou!,
    consultationId: consultation.id,
    input: {
      kind: 'opinion',
      title: 'Le covoiturage a fait ses preuves',
      body: 'L’aire de covoiturage de la zone d’activité est pleine chaque matin : il en faudrait une deuxième.',
    },
    today,
  })
  await setSupport(db, { actor: lou!, contributionId: bike.id, supported: true, today })
  await setSupport(db, { actor: dominique!, contributionId: bus.id, supported: true, today })
  await comment(db, {
    actor: lou!,
    contributionId: bike.id,
    input: { body: 'Et des arceaux pour garer les vélos devant le collège.', parentId: null },
    today,
  })

  const textId = await createText(db, {
    actor: agent!,
    territoryId: territory.id,
    publish: true,
    input: {
      title: 'Charte de la participation citoyenne (démonstration)',
      summary:
        'Cette charte fixe les engagements du Pays envers les habitants qui participent. Chaque article est ouvert aux amendements.',
      opensOn: addDays(today, -3),
      closesOn: addDays(today, 27),
      commitmentId: null,
      articlesSource:
        '## Article 1 – Objet\nLa présente charte fixe les règles de la participation des habitants aux décisions du Pays.\n\n' +
        '## Article 2 – Information\nLe Pays publie les documents d’une décision au moins quinze jours avant qu’elle soit prise.\n\n' +
        '## Article 3 – Réponse\nToute contribution reçoit une réponse motivée dans un délai de trois mois.',
    },
  })
  const [article2] = await queryRows<{ id: string }>(
    db,
    sql`select article_id as id from text_article_versions where text_id = ${textId} and position = 2`,
  )
  const amendment = await proposeAmendment(db, {
    actor: dominique!,
    textId,
    today,
    input: {
      articleId: article2!.id,
      proposedBody:
        'Le Pays publie les documents d’une décision au moins un mois avant qu’elle soit prise, en ligne et en mairie.',
      justification: 'Quinze jours ne suffisent pas pour lire et se réunir ; tout le monde n’a pas internet.',
    },
  })
  await voteOnAmendment(db, { actor: lou!, amendmentId: amendment, vote: 'for', today })

  const questionId = await askQuestion(db, {
    actor: lou!,
    territoryId: territory.id,
    input: {
      addresseeId: elected!.id,
      title: 'Quand la navette du marché reprendra-t-elle ? (démonstration)',
      body: 'La navette du samedi matin s’est arrêtée l’été dernier. Est-il prévu de la remettre en service ?',
    },
  })
  await moderateQuestion(db, { actor: admin!, questionId, decision: 'publish', reason: '' })
  await answerQuestion(db, {
    actor: elected!,
    questionId,
    answer:
      'Oui : la navette reprendra au printemps, le samedi de 8 h 30 à 12 h 30, avec un arrêt supplémentaire à la gare.',
  })

  if (commitment)
    await createGroup(db, {
      actor: agent!,
      commitmentId: commitment.id,
      input: {
        title: 'Groupe mobilités douces (démonstration)',
        purpose:
          'Habitants, associations et agents préparent ensemble les itinéraires cyclables prioritaires de l’engagement.',
      },
    })

  const day = addDays(today, 10)
  const eventId = await createEvent(db, {
    actor: agent!,
    territoryId: territory.id,
    input: {
      kind: 'public_meeting',
      title: 'Réunion publique : plan de mobilité (démonstration)',
      description:
        'Présentation des premières contributions de la consultation et échanges avec l’élue chargée des mobilités.',
      startsAt: parisInstant(day, '18:30')!,
      endsAt: parisInstant(day, '20:30')!,
      place: 'Salle des fêtes du Val-Démo',
      onlineUrl: null,
      audience: 'Tous les habitants',
      capacity: 80,
    },
  })
  await register(db, { actor: dominique!, eventId })
  return true
}
