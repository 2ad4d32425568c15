/** Messages of the importers (French first; the English dictionary must have every key). */
export const importsFr = {
  'import.tooLarge': '{name} fait {size} Mo : la limite est de {max} Mo.',
  'import.empty': '{name} est vide.',
  'import.badUtf8': '{name} s’annonce en UTF-8 (marque d’ordre des octets) mais ne l’est pas partout : enregistrez-le à nouveau en « CSV UTF-8 ».',
  'import.unknownEncoding': '{name} n’est ni en UTF-8 ni en Windows-1252 (octet inconnu ligne {line}) : enregistrez-le en « CSV UTF-8 ».',
  'import.convertedFrom1252': '{name} n’était pas en UTF-8 : il a été lu comme du Windows-1252 (l’encodage d’Excel en France). Vérifiez les accents dans l’aperçu.',
  'import.binary': '{name} n’est pas un fichier texte (un classeur Excel ? enregistrez-le en « CSV UTF-8 »).',
  'import.control': '{name}, ligne {line} : un caractère de contrôle (invisible) que le texte ne devrait pas contenir ; supprimez-le dans le fichier.',
  'import.damaged': '{name} contient déjà des caractères abîmés (« \ufffd », ligne {line}) : leur texte est perdu dans ce fichier ; reprenez le fichier d’origine.',
  'import.csv.unclosedQuote': '{name}, ligne {line} : un champ ouvert par des guillemets n’est jamais refermé (un « " » manque, ou le fichier est tronqué).',
  'import.csv.malformed': '{name}, ligne {line} : le fichier n’est pas un CSV lisible.',
  'import.csv.emptyHeader': '{name} : la colonne {column} n’a pas de nom dans la ligne d’en-tête.',
  'import.csv.duplicateHeader': '{name} : la colonne « {column} » figure deux fois dans l’en-tête (colonnes {first} et {second}) ; renommez ou supprimez l’une d’elles.',
  'import.csv.columnCount': '{name}, ligne {line} : {found} valeurs au lieu de {expected} (une ligne coupée, ou un séparateur de trop ?).',
  'import.andMore': '… et {count} autres.',
}

export const importsEn: Record<keyof typeof importsFr, string> = {
  'import.tooLarge': '{name} is {size} MB: the limit is {max} MB.',
  'import.empty': '{name} is empty.',
  'import.badUtf8': '{name} announces UTF-8 (byte-order mark) but is not UTF-8 throughout: save it again as “CSV UTF-8”.',
  'import.unknownEncoding': '{name} is neither UTF-8 nor Windows-1252 (unknown byte on line {line}): save it as “CSV UTF-8”.',
  'import.convertedFrom1252': '{name} was not UTF-8: it was read as Windows-1252 (Excel’s encoding in France). Check the accents in the preview.',
  'import.binary': '{name} is not a text file (an Excel workbook? save it as “CSV UTF-8”).',
  'import.control': '{name}, line {line}: an (invisible) control character that text should not hold; remove it from the file.',
  'import.damaged': '{name} already holds damaged characters (“\ufffd”, line {line}): their text is lost in this file; take the original file again.',
  'import.csv.unclosedQuote': '{name}, line {line}: a field opened with a quote is never closed (a “"” is missing, or the file is cut short).',
  'import.csv.malformed': '{name}, line {line}: the file is not readable CSV.',
  'import.csv.emptyHeader': '{name}: column {column} has no name in the header line.',
  'import.csv.duplicateHeader': '{name}: column “{column}” appears twice in the header (columns {first} and {second}); rename or remove one of them.',
  'import.csv.columnCount': '{name}, line {line}: {found} values instead of {expected} (a cut row, or one separator too many?).',
  'import.andMore': '… and {count} more.',
}
