/** Messages of the importers (French first; the English dictionary must have every key). */
export const importsFr = {
  'import.tooLarge': '{name} fait {size} Mo : la limite est de {max} Mo.',
  'import.empty': '{name} est vide.',
  'import.badUtf8':
    '{name} s’annonce en UTF-8 (marque d’ordre des octets) mais ne l’est pas partout : enregistrez-le à nouveau en « CSV UTF-8 ».',
  'import.unknownEncoding':
    '{name} n’est ni en UTF-8 ni en Windows-1252 (octet inconnu ligne {line}) : enregistrez-le en « CSV UTF-8 ».',
  'import.convertedFrom1252':
    '{name} n’était pas en UTF-8 : il a été lu comme du Windows-1252 (l’encodage d’Excel en France). Vérifiez les accents dans l’aperçu.',
  'import.binary': '{name} n’est pas un fichier texte (un classeur Excel ? enregistrez-le en « CSV UTF-8 »).',
  'import.badArchive': '{name} n’est pas une archive ZIP lisible (coupée pendant le téléchargement ?).',
  'import.archiveTooLarge':
    'L’archive {name} décompressée dépasse {max} Mo : envoyez seulement les dossiers à importer.',
  'import.control':
    '{name}, ligne {line} : un caractère de contrôle (invisible) que le texte ne devrait pas contenir ; supprimez-le dans le fichier.',
  'import.damaged':
    '{name} contient déjà des caractères abîmés (« \ufffd », ligne {line}) : leur texte est perdu dans ce fichier ; reprenez le fichier d’origine.',
  'import.csv.unclosedQuote':
    '{name}, ligne {line} : un champ ouvert par des guillemets n’est jamais refermé (un « " » manque, ou le fichier est tronqué).',
  'import.csv.malformed': '{name}, ligne {line} : le fichier n’est pas un CSV lisible.',
  'import.csv.emptyHeader': '{name} : la colonne {column} n’a pas de nom dans la ligne d’en-tête.',
  'import.csv.duplicateHeader':
    '{name} : la colonne « {column} » figure deux fois dans l’en-tête (colonnes {first} et {second}) ; renommez ou supprimez l’une d’elles.',
  'import.csv.columnCount':
    '{name}, ligne {line} : {found} valeurs au lieu de {expected} (une ligne coupée, ou un séparateur de trop ?).',
  'import.andMore': '… et {count} {count|autre|autres}.',
  'plans.import': 'Importer des engagements',
  'plans.import.territory': 'Importer des plans d’action',
  'plans.import.lead':
    'Un fichier CSV (UTF-8 ou Windows-1252, séparé par des virgules, des points-virgules ou des tabulations). Rien n’est écrit avant la confirmation : un aperçu dit d’abord ce qui sera créé et modifié. Un second import du même fichier met à jour ce que le premier a créé, sans doublon.',
  'plans.import.format': 'Format du fichier',
  'plans.import.format.modele': 'Modèle de la plateforme (ou son export des engagements)',
  'plans.import.format.ogp': 'Fiche des engagements du Partenariat pour un gouvernement ouvert (OGP), entière',
  'plans.import.format.decidim': 'Export « Suivi » (accountability) de Decidim : résultats et sous-résultats',
  'plans.import.file': 'Fichier CSV (50 Mo au plus)',
  'plans.import.template': 'Télécharger le modèle',
  'plans.import.preview': 'Voir l’aperçu',
  'plans.import.failed': 'Rien n’a été importé :',
  'plans.import.empty': 'Le fichier ne contient aucune ligne.',
  'plans.import.noFile': 'Choisissez un fichier CSV.',
  'plans.import.missingColumns': 'Colonnes manquantes : {columns}.',
  'plans.import.rowField': 'Ligne {line}, {field} : « {value} » — {message}',
  'plans.import.duplicateId': 'Ligne {line} : l’engagement {id} figure déjà plus haut dans le même plan.',
  'plans.import.parentMissing':
    'Ligne {line} : le résultat parent {parent} n’est pas dans le fichier ; celui-ci devient un engagement.',
  'plans.import.flattened':
    '{count} {count|sous-résultat de deuxième niveau est devenu un jalon|sous-résultats de deuxième niveau sont devenus des jalons} de leur engagement.',
  'plans.import.dueFromParent':
    '{count} {count|jalon sans date de fin a pris|jalons sans date de fin ont pris} celle de leur engagement (ou, sans elle, leur date de début).',
  'plans.import.dateOrderConflict':
    '{group} : des dates s’écrivent jour/mois et d’autres mois/jour ; celles qui restent ambiguës sont lues mois/jour (l’usage de l’OGP).',
  'plans.import.dateUnread':
    '{count} {count|date illisible (texte libre) : gardée telle quelle|dates illisibles (texte libre) : gardées telles quelles} dans la description de l’engagement.',
  'plans.import.datePeriod':
    '{count} {count|date donnée par un mois, un trimestre ou une année : lue|dates données par un mois, un trimestre ou une année : lues} comme son premier jour (début) ou son dernier jour (fin).',
  'plans.import.dateAmbiguousMdy':
    '{count} {count|date dont l’ordre jour/mois ne se déduit pas du fichier : lue|dates dont l’ordre jour/mois ne se déduit pas du fichier : lues} mois/jour/année (l’usage de l’OGP). Vérifiez dans l’aperçu.',
  'plans.import.dateAmbiguousDmy':
    '{count} {count|date dont l’ordre jour/mois ne se déduit pas du fichier : lue|dates dont l’ordre jour/mois ne se déduit pas du fichier : lues} jour/mois/année. Vérifiez dans l’aperçu.',
  'plans.import.nothingChosen': 'Choisissez au moins un plan à importer.',
  'plans.import.locked':
    'Seul un plan en brouillon reçoit un import : un plan soumis ou publié ne change plus que par ses formulaires (et son historique public).',
  'plans.import.chooseOne': 'Ce fichier contient {count} plans : choisissez celui à importer dans ce plan.',
  'plans.import.choose': 'Choisir les plans à importer',
  'plans.import.chooseLead':
    'Le fichier contient {count} plans d’action. Cochez ceux de votre territoire : chacun devient (ou met à jour) un plan en brouillon.',
  'plans.import.chooseOneLead':
    'Le fichier contient {count} plans d’action : choisissez celui dont les engagements rejoignent ce plan.',
  'plans.import.plansInFile': 'Plans du fichier',
  'plans.import.commitmentsCount': '{count} {count|engagement|engagements}',
  'plans.import.previewTitle': 'Aperçu de l’import',
  'plans.import.previewLead':
    'Voici ce que l’import fera. Rien n’est encore écrit : confirmez pour l’appliquer, en une fois.',
  'plans.import.nothingToDo':
    'Le fichier ne change rien : tout ce qu’il contient est déjà là, à l’identique (ou dans un plan qui n’est plus en brouillon).',
  'plans.import.counts': 'Ce qui sera créé, modifié, laissé tel quel',
  'plans.import.level': 'Élément',
  'plans.import.level.plan': 'Plan',
  'plans.import.level.commitment': 'Engagement',
  'plans.import.level.milestone': 'Jalon',
  'plans.import.action.create': 'Créé',
  'plans.import.action.update': 'Modifié',
  'plans.import.action.unchanged': 'Inchangé',
  'plans.import.action.locked': 'Non modifiable (plan publié)',
  'plans.import.warnings': 'À vérifier',
  'plans.import.confirm': 'Confirmer l’import',
  'plans.import.cancel': 'Annuler',
  'plans.import.details': 'Détail',
  'plans.import.line': 'ligne {line}',
  'plans.import.fields': 'champs modifiés : {fields}',
  'plans.import.sourceKey': 'identifiant à la source',
  'plans.import.sourceUrl': 'page à la source',
  'plans.milestone.status': 'État',
  'plans.milestone.progress': 'Avancement',
  'plans.import.done':
    'Import appliqué : {plans} {plans|plan créé|plans créés}, {commitments} {commitments|engagement|engagements} et {milestones} {milestones|jalon|jalons} créés ou mis à jour.',
  'consult.import': 'Importer des contributions',
  'consult.import.lead':
    'L’export des propositions ou des débats d’un espace Decidim (CSV ou JSON, tel que Decidim le donne). Les auteurs deviennent des pseudonymes (leur nom n’est pas conservé), les votes restent un chiffre, les catégories deviennent des thèmes. Rien n’est écrit avant la confirmation ; un second import du même export met à jour sans doublon.',
  'consult.import.file': 'Export Decidim (CSV ou JSON, 50 Mo au plus)',
  'consult.import.previewTitle': 'Aperçu de l’import des contributions',
  'consult.import.summary':
    '{created} {created|contribution|contributions} à créer, {updated} à mettre à jour, {unchanged} {unchanged|inchangée|inchangées} ; export {source}.',
  'consult.import.source.decidim-proposals': 'des propositions Decidim',
  'consult.import.source.decidim-debates': 'des débats Decidim',
  'consult.import.confirm': 'Importer',
  'consult.import.done':
    'Import appliqué : {created} {created|contribution créée|contributions créées}, {updated} {updated|mise|mises} à jour.',
  'consult.import.noId': 'Ligne {line} : la colonne id est vide.',
  'consult.import.title': 'Ligne {line} : le titre fait {length} caractères (de {min} à {max} attendus) : « {value} ».',
  'consult.import.body':
    'Ligne {line} : le texte fait {length} caractères, au-delà de la limite de {max} ; raccourcissez-le dans le fichier.',
  'consult.import.votes': 'Ligne {line} : le nombre de votes « {value} » n’est pas un entier positif.',
  'consult.import.date':
    'Ligne {line} : la date « {value} » n’a pas été lue ; la contribution sera datée du jour de l’import.',
  'consult.import.json': '{name} n’est pas un export JSON de Decidim (une liste d’objets).',
  'consult.import.notDecidim':
    'Ce fichier n’est ni un export des propositions ni un export des débats de Decidim (colonnes id, title/<langue> et body/<langue> ou description/<langue> attendues ; trouvées : {columns}).',
  'consult.import.duplicate': 'Ligne {line} : l’identifiant {id} figure déjà ligne {first}.',
  'consult.import.withdrawn':
    '{count} {count|proposition retirée par son auteur n’est pas importée|propositions retirées par leur auteur ne sont pas importées}.',
  'consult.import.bodyFromTitle':
    '{count} {count|contribution sans texte : son titre lui sert|contributions sans texte : leur titre leur sert} de texte.',
  'consult.import.noAuthor':
    '{count} {count|contribution sans auteur dans l’export : elle est présentée|contributions sans auteur dans l’export : elles sont présentées} comme venant de Decidim.',
  'consult.importedFrom': 'importée de {platform}',
  'consult.votesAt': 'dont {count} sur {platform}',
  'consult.theme': 'Thème : {theme}',
  'assembly.import': 'Importer des propositions',
  'assembly.import.lead':
    'Une liste de propositions en CSV (UTF-8 ou Windows-1252, séparée par des virgules ou des points-virgules), une par ligne : titre, texte, et si vous les avez thème, objectif, identifiant, statut, votes. Les propositions importées suivent ensuite le parcours habituel : réponse des élus, devenir, tableau de bord. Rien n’est écrit avant la confirmation ; un second import de la même liste met à jour sans doublon.',
  'assembly.import.file': 'Liste des propositions (CSV, 50 Mo au plus)',
  'assembly.import.status': 'Statut des propositions sans colonne « statut »',
  'assembly.import.status.adopted': 'Adoptées par le panel (elles attendent la réponse des élus)',
  'assembly.import.status.drafted': 'Brouillons (le panel les amendera et les votera ici)',
  'assembly.import.previewTitle': 'Aperçu de l’import des propositions',
  'assembly.import.summary':
    '{created} {created|proposition|propositions} à créer, {updated} à mettre à jour, {unchanged} {unchanged|inchangée|inchangées}.',
  'assembly.import.confirm': 'Importer',
  'assembly.import.done':
    'Import appliqué : {created} {created|proposition créée|propositions créées}, {updated} {updated|mise|mises} à jour.',
  'assembly.import.columns':
    'Colonnes attendues : titre (ou title, proposition) et texte (ou body, description, exposé des motifs) ; trouvées : {columns}.',
  'assembly.import.title': 'Ligne {line} : le titre est vide ou trop court.',
  'assembly.import.body': 'Ligne {line} : le texte fait {length} caractères, au-delà de la limite de {max}.',
  'assembly.import.long':
    'Ligne {line} : le champ « {field} » fait {length} caractères, au-delà de la limite de {max}.',
  'assembly.import.statusValue': 'Ligne {line} : le statut « {value} » n’est pas connu (adoptée, rejetée, brouillon).',
  'assembly.import.votesValue': 'Ligne {line} : « {value} » n’est pas un nombre de voix.',
  'assembly.import.duplicate': 'Ligne {line} : l’identifiant {id} figure déjà ligne {first}.',
  'assembly.import.shortened':
    '{count} {count|titre|titres} de plus de 300 caractères : un titre court en est tiré, le titre entier ouvre le texte de la proposition.',
  'assembly.import.noBody':
    '{count} {count|proposition sans texte : son titre lui sert|propositions sans texte : leur titre leur sert} de texte.',
  'assembly.import.locked':
    '{count} {count|proposition déjà en cours d’amendement, de vote ou répondue n’est pas modifiée|propositions déjà en cours d’amendement, de vote ou répondues ne sont pas modifiées} par l’import.',
}

export const importsEn: Record<keyof typeof importsFr, string> = {
  'import.tooLarge': '{name} is {size} MB: the limit is {max} MB.',
  'import.empty': '{name} is empty.',
  'import.badUtf8':
    '{name} announces UTF-8 (byte-order mark) but is not UTF-8 throughout: save it again as “CSV UTF-8”.',
  'import.unknownEncoding':
    '{name} is neither UTF-8 nor Windows-1252 (unknown byte on line {line}): save it as “CSV UTF-8”.',
  'import.convertedFrom1252':
    '{name} was not UTF-8: it was read as Windows-1252 (Excel’s encoding in France). Check the accents in the preview.',
  'import.binary': '{name} is not a text file (an Excel workbook? save it as “CSV UTF-8”).',
  'import.badArchive': '{name} is not a readable ZIP archive (cut short while downloading?).',
  'import.archiveTooLarge': 'Archive {name}, once unpacked, exceeds {max} MB: send only the folders to import.',
  'import.control':
    '{name}, line {line}: an (invisible) control character that text should not hold; remove it from the file.',
  'import.damaged':
    '{name} already holds damaged characters (“\ufffd”, line {line}): their text is lost in this file; take the original file again.',
  'import.csv.unclosedQuote':
    '{name}, line {line}: a field opened with a quote is never closed (a “"” is missing, or the file is cut short).',
  'import.csv.malformed': '{name}, line {line}: the file is not readable CSV.',
  'import.csv.emptyHeader': '{name}: column {column} has no name in the header line.',
  'import.csv.duplicateHeader':
    '{name}: column “{column}” appears twice in the header (columns {first} and {second}); rename or remove one of them.',
  'import.csv.columnCount':
    '{name}, line {line}: {found} values instead of {expected} (a cut row, or one separator too many?).',
  'import.andMore': '… and {count} more.',
  'plans.import': 'Import commitments',
  'plans.import.territory': 'Import action plans',
  'plans.import.lead':
    'A CSV file (UTF-8 or Windows-1252, separated by commas, semicolons or tabs). Nothing is written before you confirm: a preview first says what will be created and changed. Importing the same file again updates what the first import created, without duplicates.',
  'plans.import.format': 'File format',
  'plans.import.format.modele': 'The platform’s template (or its commitments export)',
  'plans.import.format.ogp': 'Open Government Partnership (OGP) commitment sheet, whole',
  'plans.import.format.decidim': 'Decidim’s accountability export: results and sub-results',
  'plans.import.file': 'CSV file (50 MB at most)',
  'plans.import.template': 'Download the template',
  'plans.import.preview': 'See the preview',
  'plans.import.failed': 'Nothing was imported:',
  'plans.import.empty': 'The file has no rows.',
  'plans.import.noFile': 'Choose a CSV file.',
  'plans.import.missingColumns': 'Missing columns: {columns}.',
  'plans.import.rowField': 'Line {line}, {field}: “{value}” — {message}',
  'plans.import.duplicateId': 'Line {line}: commitment {id} already appears above in the same plan.',
  'plans.import.parentMissing':
    'Line {line}: the parent result {parent} is not in the file; this one becomes a commitment.',
  'plans.import.flattened':
    '{count} second-level {count|sub-result became a milestone|sub-results became milestones} of their commitment.',
  'plans.import.dueFromParent':
    '{count} {count|milestone|milestones} without an end date took their commitment’s (or, without one, their start date).',
  'plans.import.dateOrderConflict':
    '{group}: some dates are written day/month and others month/day; the ambiguous ones are read month/day (OGP’s usage).',
  'plans.import.dateUnread':
    '{count} unreadable {count|date|dates} (free text): kept as written in the commitment’s description.',
  'plans.import.datePeriod':
    '{count} {count|date|dates} given as a month, quarter or year: read as its first day (start) or last day (end).',
  'plans.import.dateAmbiguousMdy':
    '{count} {count|date|dates} whose day/month order the file does not tell: read month/day/year (OGP’s usage). Check in the preview.',
  'plans.import.dateAmbiguousDmy':
    '{count} {count|date|dates} whose day/month order the file does not tell: read day/month/year. Check in the preview.',
  'plans.import.nothingChosen': 'Choose at least one plan to import.',
  'plans.import.locked':
    'Only a draft plan takes an import: a submitted or published plan changes only through its forms (and its public history).',
  'plans.import.chooseOne': 'This file holds {count} plans: choose the one to import into this plan.',
  'plans.import.choose': 'Choose the plans to import',
  'plans.import.chooseLead':
    'The file holds {count} action plans. Tick your territory’s: each becomes (or updates) a draft plan.',
  'plans.import.chooseOneLead': 'The file holds {count} action plans: choose the one whose commitments join this plan.',
  'plans.import.plansInFile': 'Plans in the file',
  'plans.import.commitmentsCount': '{count} {count|commitment|commitments}',
  'plans.import.previewTitle': 'Import preview',
  'plans.import.previewLead':
    'This is what the import will do. Nothing is written yet: confirm to apply it, all at once.',
  'plans.import.nothingToDo':
    'The file changes nothing: all it holds is already here, identical (or in a plan that is no longer a draft).',
  'plans.import.counts': 'What will be created, changed, left as it is',
  'plans.import.level': 'Item',
  'plans.import.level.plan': 'Plan',
  'plans.import.level.commitment': 'Commitment',
  'plans.import.level.milestone': 'Milestone',
  'plans.import.action.create': 'Created',
  'plans.import.action.update': 'Changed',
  'plans.import.action.unchanged': 'Unchanged',
  'plans.import.action.locked': 'Not changeable (published plan)',
  'plans.import.warnings': 'To check',
  'plans.import.confirm': 'Confirm the import',
  'plans.import.cancel': 'Cancel',
  'plans.import.details': 'Details',
  'plans.import.line': 'line {line}',
  'plans.import.fields': 'fields changed: {fields}',
  'plans.import.sourceKey': 'identifier at the source',
  'plans.import.sourceUrl': 'page at the source',
  'plans.milestone.status': 'Status',
  'plans.milestone.progress': 'Progress',
  'plans.import.done':
    'Import applied: {plans} {plans|plan|plans} created, {commitments} {commitments|commitment|commitments} and {milestones} {milestones|milestone|milestones} created or updated.',
  'consult.import': 'Import contributions',
  'consult.import.lead':
    'The proposals or debates export of a Decidim space (CSV or JSON, as Decidim gives it). Authors become pseudonyms (their names are not kept), votes stay a figure, categories become themes. Nothing is written before you confirm; importing the same export again updates without duplicates.',
  'consult.import.file': 'Decidim export (CSV or JSON, 50 MB at most)',
  'consult.import.previewTitle': 'Preview of the contributions import',
  'consult.import.summary':
    '{created} {created|contribution|contributions} to create, {updated} to update, {unchanged} unchanged; {source} export.',
  'consult.import.source.decidim-proposals': 'Decidim proposals',
  'consult.import.source.decidim-debates': 'Decidim debates',
  'consult.import.confirm': 'Import',
  'consult.import.done': 'Import applied: {created} {created|contribution|contributions} created, {updated} updated.',
  'consult.import.noId': 'Line {line}: the id column is empty.',
  'consult.import.title': 'Line {line}: the title has {length} characters ({min} to {max} expected): “{value}”.',
  'consult.import.body':
    'Line {line}: the text has {length} characters, beyond the limit of {max}; shorten it in the file.',
  'consult.import.votes': 'Line {line}: the vote count “{value}” is not a positive whole number.',
  'consult.import.date':
    'Line {line}: the date “{value}” could not be read; the contribution will be dated the day of the import.',
  'consult.import.json': '{name} is not a Decidim JSON export (a list of objects).',
  'consult.import.notDecidim':
    'This file is neither a Decidim proposals export nor a debates export (columns id, title/<locale> and body/<locale> or description/<locale> expected; found: {columns}).',
  'consult.import.duplicate': 'Line {line}: identifier {id} is already on line {first}.',
  'consult.import.withdrawn':
    '{count} {count|proposal withdrawn by its author is|proposals withdrawn by their authors are} not imported.',
  'consult.import.bodyFromTitle':
    '{count} {count|contribution without text: its title serves as its text|contributions without text: their title serves as their text}.',
  'consult.import.noAuthor':
    '{count} {count|contribution without an author in the export: it is shown|contributions without an author in the export: they are shown} as coming from Decidim.',
  'consult.importedFrom': 'imported from {platform}',
  'consult.votesAt': 'of which {count} on {platform}',
  'consult.theme': 'Theme: {theme}',
  'assembly.import': 'Import proposals',
  'assembly.import.lead':
    'A list of proposals as CSV (UTF-8 or Windows-1252, comma or semicolon separated), one per row: title, text, and if you have them theme, objective, identifier, status, votes. The imported proposals then follow the usual path: the officials’ answer, their fate, the dashboard. Nothing is written before you confirm; importing the same list again updates without duplicates.',
  'assembly.import.file': 'List of proposals (CSV, 50 MB at most)',
  'assembly.import.status': 'Status of proposals without a “status” column',
  'assembly.import.status.adopted': 'Adopted by the panel (awaiting the officials’ answer)',
  'assembly.import.status.drafted': 'Drafts (the panel will amend and vote on them here)',
  'assembly.import.previewTitle': 'Preview of the proposals import',
  'assembly.import.summary':
    '{created} {created|proposal|proposals} to create, {updated} to update, {unchanged} unchanged.',
  'assembly.import.confirm': 'Import',
  'assembly.import.done': 'Import applied: {created} {created|proposal|proposals} created, {updated} updated.',
  'assembly.import.columns':
    'Expected columns: title (or titre, proposition) and text (or texte, body, description, exposé des motifs); found: {columns}.',
  'assembly.import.title': 'Line {line}: the title is empty or too short.',
  'assembly.import.body': 'Line {line}: the text has {length} characters, beyond the limit of {max}.',
  'assembly.import.long': 'Line {line}: field “{field}” has {length} characters, beyond the limit of {max}.',
  'assembly.import.statusValue': 'Line {line}: status “{value}” is unknown (adopted, rejected, draft).',
  'assembly.import.votesValue': 'Line {line}: “{value}” is not a number of votes.',
  'assembly.import.duplicate': 'Line {line}: identifier {id} is already on line {first}.',
  'assembly.import.shortened':
    '{count} {count|title|titles} longer than 300 characters: a short title is drawn from each, the whole title opens the proposal’s text.',
  'assembly.import.noBody':
    '{count} {count|proposal without text: its title serves as its text|proposals without text: their title serves as their text}.',
  'assembly.import.locked':
    '{count} {count|proposal already being amended, voted on or answered is|proposals already being amended, voted on or answered are} not changed by the import.',
}
