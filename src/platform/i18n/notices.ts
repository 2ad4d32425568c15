/** Mails to the person a decision concerns (French first; the English dictionary must have every key). */
export const noticesFr = {
  'notice.footer':
    'Ce message vous est envoyé parce qu’il concerne une de vos démarches sur la plateforme Territoires Hautement Citoyens. Vos abonnements et votre compte : {account}. Vos données : {privacy}',
  'notice.question.published.subject': 'Votre question est publiée : {title}',
  'notice.question.published.body':
    'Votre question « {title} » a été publiée. Les habitants peuvent la soutenir, et les élus y répondre publiquement.',
  'notice.question.rejected.subject': 'Votre question n’a pas été publiée : {title}',
  'notice.question.rejected.body':
    'Votre question « {title} » n’a pas été publiée. Motif donné par la modération : {reason}\n\nVous pouvez poser une nouvelle question qui respecte la charte.',
  'notice.question.answered.subject': 'Réponse à votre question : {title}',
  'notice.question.answered.body': 'Les élus ont répondu à votre question « {title} » :\n\n{answer}',
  'notice.contribution.answered.subject': 'Réponse à votre contribution : {title}',
  'notice.contribution.retained.body': 'Le territoire retient votre contribution « {title} » :\n\n{answer}',
  'notice.contribution.not_retained.body':
    'Le territoire ne retient pas votre contribution « {title} », et dit pourquoi :\n\n{answer}',
  'notice.event.registered.subject': 'Inscription confirmée : {title}',
  'notice.event.registered.body':
    'Vous êtes inscrit·e à « {title} », le {when}{place}. L’invitation est jointe (fichier .ics) pour votre agenda. Si vous ne pouvez plus venir, désinscrivez-vous sur la page de l’événement : votre place ira à la première personne en attente.',
  'notice.event.waiting.subject': 'Liste d’attente : {title}',
  'notice.event.waiting.body':
    '« {title} », le {when}, est complet : vous êtes sur la liste d’attente. Nous vous écrirons si une place se libère.',
  'notice.event.promoted.subject': 'Une place s’est libérée : {title}',
  'notice.event.promoted.body':
    'Une place s’est libérée pour « {title} », le {when}{place} : vous êtes maintenant inscrit·e. L’invitation est jointe (fichier .ics).',
  'notice.event.reminder.subject': 'Rappel : {title}',
  'notice.event.reminder.body':
    'Rappel : « {title} » a lieu le {when}{place}. Si vous ne pouvez plus venir, désinscrivez-vous sur la page de l’événement : votre place ira à la première personne en attente.',
  'notice.event.message.subject': '{title} : {subject}',
  'notice.event.message.body':
    'Les organisateurs de « {title} », auquel vous êtes inscrit·e, vous écrivent :\n\n{message}',
  'notice.event.cancelled.subject': 'Événement annulé : {title}',
  'notice.event.cancelled.body':
    '« {title} », prévu le {when}, est annulé. Raison donnée par les organisateurs : {reason}',
  'notice.membership.accepted.subject': 'Adhésion acceptée : {territory}',
  'notice.membership.accepted.body':
    'La demande d’adhésion de {territory} est acceptée : bienvenue dans le réseau Territoires Hautement Citoyens. La page du territoire affiche désormais son adhésion.',
  'notice.membership.declined.subject': 'Adhésion non retenue : {territory}',
  'notice.membership.declined.body':
    'La demande d’adhésion de {territory} au réseau n’est pas retenue. Motif : {reason}',
  'notice.assessment.sent.subject': 'Évaluation indépendante à relire : {plan}',
  'notice.assessment.sent.body':
    'Le rapport d’évaluation indépendante du plan « {plan} » vous est transmis. Le territoire peut y répondre publiquement jusqu’au {due} ; passé ce délai, le rapport est publié sans réponse.',
  'notice.assessment.dueSoon.subject': 'Plus que trois jours pour répondre à l’évaluation : {plan}',
  'notice.assessment.dueSoon.body':
    'Le délai de réponse au rapport d’évaluation du plan « {plan} » se termine le {due}. Sans réponse, le rapport sera publié tel quel.',
  'notice.reviewer.appointed.subject': 'Vous êtes nommé·e évaluateur·rice : {plan}',
  'notice.reviewer.appointed.body':
    'L’équipe du réseau vous a nommé·e pour évaluer le plan d’action « {plan} ». Avant toute appréciation, déclarez vos éventuels conflits d’intérêts sur la page de l’évaluation.',
  'notice.moderation.hidden.subject': 'Votre contenu a été masqué',
  'notice.moderation.hidden.body':
    'Un contenu que vous avez publié (« {title} ») a été masqué par la modération. Motif public : {reason}',
  'notice.volunteer.confirm.subject': 'Confirmez votre inscription : {title}',
  'notice.volunteer.confirm.body':
    'Quelqu’un (sans doute vous) a inscrit cette adresse comme volontaire n° {number} pour l’assemblée citoyenne « {title} ». Pour que l’inscription compte dans le tirage au sort, confirmez-la en ouvrant le lien ci-dessous dans les {days} jours. Sans confirmation, elle n’entre pas dans le tirage.\n\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message.',
  'notice.volunteer.already.subject': 'Vous êtes déjà inscrit·e : {title}',
  'notice.volunteer.already.body':
    'Une nouvelle inscription a été demandée avec votre adresse pour l’assemblée citoyenne « {title} ». Vous y êtes déjà inscrit·e et confirmé·e (volontaire n° {number}) : rien ne change. Pour vous retirer, écrivez aux organisateurs.',
  'notice.volunteer.drawn.subject': 'Vous avez été tiré·e au sort : {title}',
  'notice.volunteer.drawn.body':
    'Le tirage au sort public de l’assemblée citoyenne « {title} » vous a désigné·e membre du panel (volontaire n° {number}). Les organisateurs vont vous contacter pour la suite. La page de transparence montre comment le tirage a été fait.',
  'notice.volunteer.reserve.subject': 'Vous êtes sur la liste de réserve : {title}',
  'notice.volunteer.reserve.body':
    'Le tirage au sort de l’assemblée citoyenne « {title} » a eu lieu. Vous n’avez pas été tiré·e au sort pour le panel, mais vous restez dans la réserve (volontaire n° {number}) : si un membre se retire, son remplaçant y est tiré au sort, et nous vous écririons.',
  'notice.volunteer.replacement.subject': 'Vous rejoignez le panel : {title}',
  'notice.volunteer.replacement.body':
    'Un membre a quitté le panel de l’assemblée citoyenne « {title} » : vous avez été tiré·e au sort dans la réserve pour le remplacer (volontaire n° {number}). Les organisateurs vont vous contacter.',
}

export const noticesEn: Record<keyof typeof noticesFr, string> = {
  'notice.footer':
    'This message is sent because it concerns something you did on the Territoires Hautement Citoyens platform. Your subscriptions and account: {account}. Your data: {privacy}',
  'notice.question.published.subject': 'Your question is published: {title}',
  'notice.question.published.body':
    'Your question “{title}” is published. Residents can support it, and elected officials answer it in public.',
  'notice.question.rejected.subject': 'Your question was not published: {title}',
  'notice.question.rejected.body':
    'Your question “{title}” was not published. The moderators’ reason: {reason}\n\nYou may ask a new question that follows the charter.',
  'notice.question.answered.subject': 'Answer to your question: {title}',
  'notice.question.answered.body': 'The elected officials answered your question “{title}”:\n\n{answer}',
  'notice.contribution.answered.subject': 'Answer to your contribution: {title}',
  'notice.contribution.retained.body': 'The territory takes up your contribution “{title}”:\n\n{answer}',
  'notice.contribution.not_retained.body':
    'The territory does not take up your contribution “{title}”, and says why:\n\n{answer}',
  'notice.event.registered.subject': 'Registration confirmed: {title}',
  'notice.event.registered.body':
    'You are registered for “{title}”, on {when}{place}. The invitation is attached (.ics file) for your calendar. If you can no longer come, unregister on the event’s page: your seat will go to the first person waiting.',
  'notice.event.waiting.subject': 'Waiting list: {title}',
  'notice.event.waiting.body':
    '“{title}”, on {when}, is full: you are on the waiting list. We will write if a seat frees up.',
  'notice.event.promoted.subject': 'A seat freed up: {title}',
  'notice.event.promoted.body':
    'A seat freed up for “{title}”, on {when}{place}: you are now registered. The invitation is attached (.ics file).',
  'notice.event.reminder.subject': 'Reminder: {title}',
  'notice.event.reminder.body':
    'Reminder: “{title}” takes place on {when}{place}. If you can no longer come, unregister on the event’s page: your seat will go to the first person waiting.',
  'notice.event.message.subject': '{title}: {subject}',
  'notice.event.message.body': 'The organisers of “{title}”, which you registered for, write to you:\n\n{message}',
  'notice.event.cancelled.subject': 'Event cancelled: {title}',
  'notice.event.cancelled.body': '“{title}”, planned on {when}, is cancelled. Reason given by the organisers: {reason}',
  'notice.membership.accepted.subject': 'Membership accepted: {territory}',
  'notice.membership.accepted.body':
    'The request of {territory} is accepted: welcome to the Territoires Hautement Citoyens network. The territory’s page now shows its membership.',
  'notice.membership.declined.subject': 'Membership not accepted: {territory}',
  'notice.membership.declined.body': 'The request of {territory} to join the network is not accepted. Reason: {reason}',
  'notice.assessment.sent.subject': 'Independent assessment to review: {plan}',
  'notice.assessment.sent.body':
    'The independent assessment report on the plan “{plan}” is sent to you. The territory may reply publicly until {due}; after that, the report is published without a reply.',
  'notice.assessment.dueSoon.subject': 'Three days left to reply to the assessment: {plan}',
  'notice.assessment.dueSoon.body':
    'The period to reply to the assessment report on the plan “{plan}” ends on {due}. Without a reply, the report will be published as it is.',
  'notice.reviewer.appointed.subject': 'You are appointed as a reviewer: {plan}',
  'notice.reviewer.appointed.body':
    'The network’s team appointed you to assess the action plan “{plan}”. Before any rating, declare any conflict of interest on the assessment’s page.',
  'notice.moderation.hidden.subject': 'Your content was hidden',
  'notice.moderation.hidden.body':
    'Something you published (“{title}”) was hidden by the moderators. Public reason: {reason}',
  'notice.volunteer.confirm.subject': 'Confirm your registration: {title}',
  'notice.volunteer.confirm.body':
    'Someone (probably you) registered this address as volunteer no. {number} for the citizens’ assembly “{title}”. For the registration to count in the draw, confirm it by opening the link below within {days} days. Unconfirmed, it does not enter the draw.\n\nIf you did not ask for this, ignore this message.',
  'notice.volunteer.already.subject': 'You are already registered: {title}',
  'notice.volunteer.already.body':
    'A new registration was requested with your address for the citizens’ assembly “{title}”. You are already registered and confirmed (volunteer no. {number}): nothing changes. To withdraw, write to the organisers.',
  'notice.volunteer.drawn.subject': 'You were drawn: {title}',
  'notice.volunteer.drawn.body':
    'The public draw of the citizens’ assembly “{title}” chose you as a member of the panel (volunteer no. {number}). The organisers will contact you about what comes next. The transparency page shows how the draw was made.',
  'notice.volunteer.reserve.subject': 'You are in reserve: {title}',
  'notice.volunteer.reserve.body':
    'The draw of the citizens’ assembly “{title}” took place. You were not drawn for the panel, but you stay in reserve (volunteer no. {number}): if a member withdraws, their replacement is drawn from it, and we would write to you.',
  'notice.volunteer.replacement.subject': 'You join the panel: {title}',
  'notice.volunteer.replacement.body':
    'A member left the panel of the citizens’ assembly “{title}”: you were drawn from the reserve to replace them (volunteer no. {number}). The organisers will contact you.',
}
