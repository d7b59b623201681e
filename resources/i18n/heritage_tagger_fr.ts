<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
<context>
    <name>AddTagDialog</name>
    <message>
        <source>Add a tag</source>
        <translation>Ajouter un mot-clé</translation>
    </message>
    <message>
        <source>Tag or concept (new tags are added to the catalogue)</source>
        <translation>Mot-clé ou concept (nouveau : ajouté au catalogue)</translation>
    </message>
    <message>
        <source>Tag or concept to add</source>
        <translation>Mot-clé ou concept à ajouter</translation>
    </message>
    <message>
        <source>Add a tag to &lt;b&gt;{identifier}&lt;/b&gt;:</source>
        <translation>Ajouter un mot-clé à &lt;b&gt;{identifier}&lt;/b&gt; :</translation>
    </message>
</context>
<context>
    <name>Appearance</name>
    <message>
        <source>Follow the system</source>
        <extracomment>Preferences.theme: words shown in Preferences (translated where shown)</extracomment>
        <translation>Suivre le système</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
</context>
<context>
    <name>BackgroundJobs</name>
    <message>
        <source>Finished.</source>
        <translation>Terminé.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
</context>
<context>
    <name>BatchEditDialog</name>
    <message>
        <source>Add a tag</source>
        <translation>Ajouter un mot-clé</translation>
    </message>
    <message>
        <source>Remove a tag</source>
        <translation>Retirer un mot-clé</translation>
    </message>
    <message>
        <source>Accept a suggested tag</source>
        <translation>Accepter un mot-clé suggéré</translation>
    </message>
    <message>
        <source>Set a field</source>
        <translation>Remplir un champ</translation>
    </message>
    <message>
        <source>Append to a field</source>
        <translation>Compléter un champ</translation>
    </message>
    <message>
        <source>Title</source>
        <extracomment>the editable fields (``services.browse.EDITABLE_FIELDS``) as the dialog names them</extracomment>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lieu</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Creator</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <source>Rights</source>
        <translation>Droits</translation>
    </message>
    <message>
        <source>Batch edit selected photos</source>
        <translation>Modification par lot des photos sélectionnées</translation>
    </message>
    <message>
        <source>Photos selected: {n}</source>
        <translation>Photos sélectionnées : {n}</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Opération</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Champ</translation>
    </message>
    <message>
        <source>Tag or concept (new tags are added to the catalogue)</source>
        <translation>Mot-clé ou concept (nouveau : ajouté au catalogue)</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Mot-clé</translation>
    </message>
    <message>
        <source>The text (empty: clears the field)</source>
        <translation>Le texte (vide : efface le champ)</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <source>Separator</source>
        <translation>Séparateur</translation>
    </message>
    <message>
        <source>Put between the text already in the field and the text appended</source>
        <translation>Placé entre le texte déjà présent dans le champ et le texte ajouté</translation>
    </message>
    <message>
        <source>&amp;Operation:</source>
        <translation>&amp;Opération :</translation>
    </message>
    <message>
        <source>&amp;Field:</source>
        <translation>&amp;Champ :</translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation>&amp;Mot-clé :</translation>
    </message>
    <message>
        <source>Te&amp;xt:</source>
        <translation>Te&amp;xte :</translation>
    </message>
    <message>
        <source>&amp;Separator:</source>
        <translation>&amp;Séparateur :</translation>
    </message>
    <message>
        <source>One step: Ctrl+Z undoes it for every photo.</source>
        <translation>Une seule étape : Ctrl+Z l’annule pour toutes les photos.</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>A&amp;ppliquer</translation>
    </message>
    <message>
        <source>The text to add at the end of the field</source>
        <translation>Le texte à ajouter à la fin du champ</translation>
    </message>
</context>
<context>
    <name>BrowseController</name>
    <message>
        <source>This record has no picture.</source>
        <translation>Cette notice n’a pas d’image.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <source>Saved {field}.</source>
        <translation>{field} : enregistré.</translation>
    </message>
    <message>
        <source>Could not save {field}: {error}</source>
        <translation>Impossible d’enregistrer {field} : {error}</translation>
    </message>
</context>
<context>
    <name>BrowserViews</name>
    <message>
        <source>Photos (thumbnail grid)</source>
        <translation>Photos (grille de vignettes)</translation>
    </message>
    <message>
        <source>Photos (table)</source>
        <translation>Photos (liste)</translation>
    </message>
    <message>
        <source>J and K move between photos; A, R, Enter review the suggestions</source>
        <translation>J et K passent d’une photo à l’autre ; A, R, Entrée traitent les suggestions</translation>
    </message>
</context>
<context>
    <name>ConceptCompleter</name>
    <message>
        <source>A tag of this catalogue</source>
        <translation>Un mot-clé de ce catalogue</translation>
    </message>
</context>
<context>
    <name>ConceptPathView</name>
    <message>
        <source> (tag “{label}”)</source>
        <translation> (mot-clé « {label} »)</translation>
    </message>
    <message>
        <source>Concept: {links}{also}  ·  &lt;a href=&apos;concept:{id}&apos;&gt;photos with it&lt;/a&gt;&lt;br&gt;</source>
        <translation>Concept : {links}{also}  ·  &lt;a href=&apos;concept:{id}&apos;&gt;photos qui le portent&lt;/a&gt;&lt;br&gt;</translation>
    </message>
    <message>
        <source>Click a concept to show the photos with it or with a narrower concept</source>
        <translation>Cliquez sur un concept pour afficher les photos qui le portent, lui ou un concept plus spécifique</translation>
    </message>
</context>
<context>
    <name>ConceptsTab</name>
    <message>
        <source>Type a label: preferred or alternative…</source>
        <translation>Saisissez un libellé : préférentiel ou alternatif…</translation>
    </message>
    <message>
        <source>Find a concept by its label</source>
        <translation>Chercher un concept par son libellé</translation>
    </message>
    <message>
        <source>The concept&apos;s details</source>
        <translation>Détails du concept</translation>
    </message>
    <message>
        <source>Show the photos with this concept (and narrower ones)</source>
        <translation>Afficher les photos portant ce concept (et les concepts plus spécifiques)</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Path:&lt;/b&gt; {path}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Broader:&lt;/b&gt; {broader}&lt;br&gt;&lt;b&gt;Narrower:&lt;/b&gt; {narrower}&lt;br&gt;&lt;b&gt;Related:&lt;/b&gt; {related}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Labels&lt;/b&gt;&lt;br&gt;{labels}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Chemin :&lt;/b&gt; {path}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Terme générique :&lt;/b&gt; {broader}&lt;br&gt;&lt;b&gt;Termes spécifiques :&lt;/b&gt; {narrower}&lt;br&gt;&lt;b&gt;Termes associés :&lt;/b&gt; {related}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Libellés&lt;/b&gt;&lt;br&gt;{labels}&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <source>Open a catalogue first (File &gt; Open catalogue…).</source>
        <translation>Ouvrez d’abord un catalogue (Fichier &gt; Ouvrir un catalogue…).</translation>
    </message>
</context>
<context>
    <name>Count</name>
    <message>
        <source>tag</source>
        <extracomment>the nouns ``count`` says, singular and plural, for lupdate (context &quot;Count&quot;)</extracomment>
        <translation>mot-clé</translation>
    </message>
    <message>
        <source>tags</source>
        <translation>mots-clés</translation>
    </message>
    <message>
        <source>concept</source>
        <translation>concept</translation>
    </message>
    <message>
        <source>concepts</source>
        <translation>concepts</translation>
    </message>
    <message>
        <source>label</source>
        <translation>libellé</translation>
    </message>
    <message>
        <source>labels</source>
        <translation>libellés</translation>
    </message>
    <message>
        <source>variant tag</source>
        <translation>variante</translation>
    </message>
    <message>
        <source>variant tags</source>
        <translation>variantes</translation>
    </message>
    <message>
        <source>kept tag</source>
        <translation>mot-clé conservé</translation>
    </message>
    <message>
        <source>kept tags</source>
        <translation>mots-clés conservés</translation>
    </message>
    <message>
        <source>photo</source>
        <translation>photo</translation>
    </message>
    <message>
        <source>photos</source>
        <translation>photos</translation>
    </message>
    <message>
        <source>group</source>
        <translation>groupe</translation>
    </message>
    <message>
        <source>groups</source>
        <translation>groupes</translation>
    </message>
    <message>
        <source>photo tag</source>
        <translation>mot-clé de photo</translation>
    </message>
    <message>
        <source>photo tags</source>
        <translation>mots-clés de photos</translation>
    </message>
</context>
<context>
    <name>DemoController</name>
    <message>
        <source>The demo collection cannot be created: {error}</source>
        <translation>Impossible de créer le fonds de démonstration : {error}</translation>
    </message>
    <message>
        <source>Opening the demo collection…</source>
        <translation>Ouverture du fonds de démonstration…</translation>
    </message>
    <message>
        <source>Preparing the demo collection</source>
        <translation>Préparation du fonds de démonstration</translation>
    </message>
    <message>
        <source>{title}: {text}</source>
        <translation>{title} : {text}</translation>
    </message>
    <message>
        <source>What was imported is kept; open the demo again to finish.</source>
        <translation>Ce qui a été importé est conservé ; rouvrez la démonstration pour terminer.</translation>
    </message>
    <message>
        <source>Finished: the demo collection has {n} photos.</source>
        <translation>Terminé : le fonds de démonstration compte {n} photos.</translation>
    </message>
    <message>
        <source>{title}: another job is running; try again.</source>
        <translation>{title} : une autre tâche est en cours ; réessayez.</translation>
    </message>
    <message>
        <source>The demo collection is open: select a photo to see its suggestions.</source>
        <translation>Le fonds de démonstration est ouvert : sélectionnez une photo pour voir ses suggestions.</translation>
    </message>
    <message>
        <source>The demo collection is open. Its model is learning from the tagged photos (see Jobs): suggestions appear in the panel on the right when it finishes, usually within a minute.</source>
        <translation>Le fonds de démonstration est ouvert. Son modèle apprend des photos qui ont des mots-clés (voir Tâches) : les suggestions apparaissent dans le panneau de droite quand il a fini, en général en moins d’une minute.</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>catalogued</source>
        <translation>catalogué</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>accepté</translation>
    </message>
    <message>
        <source>suggested</source>
        <translation>suggéré</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>rejeté</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lieu</translation>
    </message>
    <message>
        <source>Creator</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <source>Rights</source>
        <translation>Droits</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Tags of this photo</source>
        <translation>Mots-clés de cette photo</translation>
    </message>
    <message>
        <source>A accepts, R rejects, Delete removes the current tag; T adds one</source>
        <translation>A accepte, R rejette, Suppr retire le mot-clé courant ; T en ajoute un</translation>
    </message>
    <message>
        <source>Tags  (A accept · R reject · Del remove · T add)</source>
        <translation>Mots-clés  (A accepter · R rejeter · Suppr retirer · T ajouter)</translation>
    </message>
    <message>
        <source>Concept of the current tag and its broader concepts</source>
        <translation>Concept du mot-clé courant et ses concepts génériques</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>Photo</translation>
    </message>
    <message>
        <source>No photo selected.</source>
        <translation>Aucune photo sélectionnée.</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Unexpected error: {kind}: {error}</source>
        <extracomment>pool name -&gt; threads: &quot;read&quot; for queries, &quot;write&quot; serialises catalogue writes, &quot;images&quot; decodes pictures, &quot;heavy&quot; runs the model for the suggestion panel, &quot;jobs&quot; runs the background jobs of gui/background.py (imports, exports, and the threads that wait for the worker processes of training and retraining), so that none of them delays the panel, and &quot;count&quot; counts the records a filter matches (which may scan an index of a million rows) without delaying the pages queued behind it.</extracomment>
        <translation>Erreur inattendue : {kind} : {error}</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>CSV (spreadsheet)</source>
        <extracomment>format value -&gt; its name in the format list</extracomment>
        <translation>CSV (tableur)</translation>
    </message>
    <message>
        <source>Dublin Core XML (oai_dc)</source>
        <translation>XML Dublin Core (oai_dc)</translation>
    </message>
    <message>
        <source>DC terms JSON-LD (subjects with URIs)</source>
        <translation>JSON-LD DC Terms (sujets avec URI)</translation>
    </message>
    <message>
        <source>XMP sidecars (one file per photo)</source>
        <translation>Fichiers XMP annexes (un par photo)</translation>
    </message>
    <message>
        <source>untagged</source>
        <translation>sans mot-clé</translation>
    </message>
    <message>
        <source>with pending suggestions</source>
        <translation>avec suggestions en attente</translation>
    </message>
    <message>
        <source>not reviewed yet</source>
        <translation>pas encore revues</translation>
    </message>
    <message>
        <source>reviewed</source>
        <translation>revues</translation>
    </message>
    <message>
        <source>text “{text}”</source>
        <translation>texte « {text} »</translation>
    </message>
    <message>
        <source>tag or suggestion “{tag}”</source>
        <translation>mot-clé ou suggestion « {tag} »</translation>
    </message>
    <message>
        <source>tag “{tag}”</source>
        <translation>mot-clé « {tag} »</translation>
    </message>
    <message>
        <source>location “{place}”</source>
        <translation>lieu « {place} »</translation>
    </message>
    <message>
        <source>batch #{id}</source>
        <translation>lot d’import nº {id}</translation>
    </message>
    <message>
        <source>a concept and those under it</source>
        <translation>un concept et ses concepts spécifiques</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Whole catalogue</source>
        <translation>Tout le catalogue</translation>
    </message>
    <message>
        <source>Current filter</source>
        <translation>Filtre courant</translation>
    </message>
    <message>
        <source>Selected photos</source>
        <translation>Photos sélectionnées</translation>
    </message>
    <message>
        <source>Imported batch:</source>
        <translation>Lot d’import :</translation>
    </message>
    <message>
        <source>Imported batch</source>
        <translation>Lot d’import</translation>
    </message>
    <message>
        <source>Include pending suggestions (with their scores)</source>
        <translation>Inclure les suggestions en attente (avec leur score)</translation>
    </message>
    <message>
        <source>Excel-safe (UTF-8 mark; cells that look like formulas are quoted)</source>
        <translation>Compatible Excel (marque UTF-8 ; cellules ressemblant à des formules protégées)</translation>
    </message>
    <message>
        <source>Base URI</source>
        <translation>URI de base</translation>
    </message>
    <message>
        <source>Optional: https://example.org/records/ gives each record a URI</source>
        <translation>Facultatif : https://example.org/records/ donne une URI à chaque notice</translation>
    </message>
    <message>
        <source>Write each sidecar beside its image</source>
        <translation>Écrire chaque fichier annexe à côté de son image</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Sortie</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Browse for the output</source>
        <translation>Choisir la sortie</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>Fichier de sortie</translation>
    </message>
    <message>
        <source>&amp;Format</source>
        <translation>&amp;Format</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>Photos</translation>
    </message>
    <message>
        <source>Whole catalogue ({n} photos)</source>
        <translation>Tout le catalogue ({n} photos)</translation>
    </message>
    <message>
        <source>Current filter (counting…)</source>
        <translation>Filtre courant (décompte…)</translation>
    </message>
    <message>
        <source>Current filter ({n} photos)</source>
        <translation>Filtre courant ({n} photos)</translation>
    </message>
    <message>
        <source>{scope}: {filter}</source>
        <translation>{scope} : {filter}</translation>
    </message>
    <message>
        <source>No filter: every photo</source>
        <translation>Aucun filtre : toutes les photos</translation>
    </message>
    <message>
        <source>Selected photos ({n})</source>
        <translation>Photos sélectionnées ({n})</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>Folder for the XMP sidecars</source>
        <translation>Dossier des fichiers XMP annexes</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>Exporter vers</translation>
    </message>
    <message>
        <source>{name} files (*{suffix})</source>
        <translation>Fichiers {name} (*{suffix})</translation>
    </message>
    <message>
        <source>Choose a folder for the sidecars.</source>
        <translation>Choisissez un dossier pour les fichiers annexes.</translation>
    </message>
    <message>
        <source>Choose a file to export to.</source>
        <translation>Choisissez un fichier où exporter.</translation>
    </message>
    <message>
        <source>{path} is a folder: choose a file name.</source>
        <translation>{path} est un dossier : choisissez un nom de fichier.</translation>
    </message>
    <message>
        <source>The folder {path} does not exist.</source>
        <translation>Le dossier {path} n’existe pas.</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>All photos</source>
        <translation>Toutes photos</translation>
    </message>
    <message>
        <source>Not reviewed yet</source>
        <translation>Pas encore revues</translation>
    </message>
    <message>
        <source>Untagged</source>
        <translation>Sans mot-clé</translation>
    </message>
    <message>
        <source>Pending suggestions</source>
        <translation>Suggestions en attente</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>Revues</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Model confidence</source>
        <translation>Confiance du modèle</translation>
    </message>
    <message>
        <source>Needs attention first</source>
        <translation>À vérifier en premier</translation>
    </message>
    <message>
        <source>Queue: least confident first</source>
        <extracomment>the review queue&apos;s order (services.review_queue.review_queue &quot;least_confident&quot;): the highest pending score, lowest first, photos with nothing pending last; browse&apos;s confidence sort reversed</extracomment>
        <translation>File : les moins sûres d’abord</translation>
    </message>
    <message>
        <source>Search title, description, location</source>
        <extracomment>Preferences&apos; review queue orders (services.review_queue.QUEUE_ORDERS) -&gt; (sort combo data, reversed)</extracomment>
        <translation>Rechercher titre, description, lieu</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Mot-clé</translation>
    </message>
    <message>
        <source>Photos that carry this tag (catalogued or accepted)</source>
        <translation>Photos qui portent ce mot-clé (catalogué ou accepté)</translation>
    </message>
    <message>
        <source>or suggested</source>
        <translation>ou suggéré</translation>
    </message>
    <message>
        <source>Also photos for which the tag is only a suggestion still waiting for review</source>
        <translation>Aussi les photos pour lesquelles ce mot-clé n’est qu’une suggestion en attente de révision</translation>
    </message>
    <message>
        <source>Any location</source>
        <translation>Tout lieu</translation>
    </message>
    <message>
        <source>Photos whose location contains these letters, in any case (&quot;calif&quot;)</source>
        <translation>Photos dont le lieu contient ces lettres, sans tenir compte de la casse (« calif »)</translation>
    </message>
    <message>
        <source>All batches</source>
        <translation>Tous lots</translation>
    </message>
    <message>
        <source>Sort: {order}</source>
        <translation>Tri : {order}</translation>
    </message>
    <message>
        <source>Reverse the order</source>
        <translation>Inverser l’ordre</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>Grille</translation>
    </message>
    <message>
        <source>Thumbnail grid</source>
        <translation>Grille de vignettes</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Liste</translation>
    </message>
    <message>
        <source>Search the photos</source>
        <translation>Rechercher dans les photos</translation>
    </message>
    <message>
        <source>Filter by tag</source>
        <translation>Filtrer par mot-clé</translation>
    </message>
    <message>
        <source>Filter by location</source>
        <translation>Filtrer par lieu</translation>
    </message>
    <message>
        <source>Filter by review state</source>
        <translation>Filtrer par état de révision</translation>
    </message>
    <message>
        <source>Filter by import batch</source>
        <translation>Filtrer par lot d’import</translation>
    </message>
    <message>
        <source>Sort order</source>
        <translation>Ordre de tri</translation>
    </message>
    <message>
        <source>Concept filter (press to clear it)</source>
        <translation>Filtre par concept (appuyez pour l’effacer)</translation>
    </message>
    <message>
        <source>Show a thumbnail grid</source>
        <translation>Afficher une grille de vignettes</translation>
    </message>
    <message>
        <source>Show a table</source>
        <translation>Afficher une liste</translation>
    </message>
    <message>
        <source>Photos with {path} or a narrower concept; click to show every photo again</source>
        <translation>Photos avec {path} ou un concept plus spécifique ; cliquez pour réafficher toutes les photos</translation>
    </message>
</context>
<context>
    <name>Guide</name>
    <message>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>Action</translation>
    </message>
    <message>
        <source> or </source>
        <translation> ou </translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>Heritage Tagger user guide</source>
        <translation>Guide de l’utilisateur de Heritage Tagger</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>Guide de l’utilisateur</translation>
    </message>
    <message>
        <source>The user guide is missing from this installation. Reinstall Heritage Tagger to get it.</source>
        <translation>Le guide de l’utilisateur manque dans cette installation. Réinstallez Heritage Tagger pour l’obtenir.</translation>
    </message>
</context>
<context>
    <name>ImageView</name>
    <message>
        <source>Photo</source>
        <translation>Photo</translation>
    </message>
    <message>
        <source>The selected photo; Ctrl+wheel zooms, drag to pan</source>
        <translation>La photo sélectionnée ; Ctrl+molette zoome, glisser pour déplacer</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajuster</translation>
    </message>
    <message>
        <source>Fit the photo to the pane</source>
        <translation>Ajuster la photo au panneau</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>Taille réelle</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+wheel)</source>
        <translation>Zoom arrière (Ctrl+molette)</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Zoom arrière</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+wheel)</source>
        <translation>Zoom avant (Ctrl+molette)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Zoom avant</translation>
    </message>
    <message>
        <source>No photo selected.</source>
        <translation>Aucune photo sélectionnée.</translation>
    </message>
    <message>
        <source>This record has no picture.</source>
        <translation>Cette notice n’a pas d’image.</translation>
    </message>
    <message>
        <source>The picture file is missing (looked for {paths}).</source>
        <translation>Le fichier image est introuvable (cherché : {paths}).</translation>
    </message>
    <message>
        <source>Cannot read the picture ({reasons}).</source>
        <translation>Impossible de lire l’image ({reasons}).</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import a folder</source>
        <translation>Importer un dossier</translation>
    </message>
    <message>
        <source>The folder of photos</source>
        <translation>Le dossier de photos</translation>
    </message>
    <message>
        <source>Optional: a CSV of records (default: the folder&apos;s {name})</source>
        <translation>Facultatif : CSV de notices (défaut : {name})</translation>
    </message>
    <message>
        <source>Suggest tags for the new photos</source>
        <translation>Suggérer des mots-clés pour les nouvelles photos</translation>
    </message>
    <message>
        <source>No model is active yet: Model &gt; Train… first.</source>
        <translation>Aucun modèle actif : d’abord Modèle &gt; Entraîner…</translation>
    </message>
    <message>
        <source>Accept suggestions scored at least</source>
        <translation>Accepter les suggestions dont le score atteint</translation>
    </message>
    <message>
        <source>Folder of photos to import</source>
        <translation>Dossier de photos à importer</translation>
    </message>
    <message>
        <source>CSV of records (optional)</source>
        <translation>CSV de notices (facultatif)</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>Manifest</source>
        <translation>Manifeste</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importer</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Browse for the {what}</source>
        <translation>Parcourir : {what}</translation>
    </message>
    <message>
        <source>Import a folder of photos</source>
        <translation>Importer un dossier de photos</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.tsv *.txt);;All files (*)</source>
        <translation>Fichiers CSV (*.csv *.tsv *.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Choose a folder that exists.</source>
        <translation>Choisissez un dossier existant.</translation>
    </message>
    <message>
        <source>There is no manifest file at {manifest}.</source>
        <translation>Aucun fichier manifeste à l’emplacement {manifest}.</translation>
    </message>
</context>
<context>
    <name>Job</name>
    <message>
        <source>starting</source>
        <translation>démarrage</translation>
    </message>
    <message>
        <source>cancelling: finishing the current step</source>
        <translation>annulation : fin de l’étape en cours</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} sur {total}</translation>
    </message>
</context>
<context>
    <name>JobRow</name>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Stop {job}</source>
        <translation>Arrêter : {job}</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>{state}: {outcome}</source>
        <translation>{state} : {outcome}</translation>
    </message>
</context>
<context>
    <name>JobsController</name>
    <message>
        <source>Imported {n} photos ({duplicates} already there, {skipped} skipped).</source>
        <translation>{n} photos importées ({duplicates} déjà présentes, {skipped} ignorées).</translation>
    </message>
    <message>
        <source> No model is active, so no tags were suggested: Model &gt; Train… first.</source>
        <translation> Aucun modèle actif, donc aucun mot-clé suggéré : d’abord Modèle &gt; Entraîner…</translation>
    </message>
    <message>
        <source> Suggested {tags} tags for {n} photos</source>
        <translation> {tags} mots-clés suggérés pour {n} photos</translation>
    </message>
    <message>
        <source>, {n} accepted automatically</source>
        <translation>, dont {n} acceptés automatiquement</translation>
    </message>
    <message>
        <source>; {n} photos could not be read</source>
        <translation> ; {n} photos illisibles</translation>
    </message>
    <message>
        <source>the filtered photos</source>
        <translation>les photos filtrées</translation>
    </message>
    <message>
        <source>{n} selected photos</source>
        <translation>{n} photos sélectionnées</translation>
    </message>
    <message>
        <source>batch #{id}</source>
        <translation>lot d’import nº {id}</translation>
    </message>
    <message>
        <source>the whole catalogue</source>
        <translation>tout le catalogue</translation>
    </message>
    <message>
        <source>Importing {name}</source>
        <translation>Import de {name}</translation>
    </message>
    <message>
        <source> The new photos are shown as a review queue, {order}.</source>
        <translation> Les nouvelles photos sont présentées en file de révision, {order}.</translation>
    </message>
    <message>
        <source>Importing</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>copying and checking the photos</source>
        <translation>copie et vérification des photos</translation>
    </message>
    <message>
        <source>annotating</source>
        <translation>annotation</translation>
    </message>
    <message>
        <source>suggesting tags for the new photos</source>
        <translation>suggestion de mots-clés pour les nouvelles photos</translation>
    </message>
    <message>
        <source>Cancelled. What was done is saved; import the same folder again to finish.</source>
        <translation>Annulé. Le travail fait est enregistré ; importez de nouveau le même dossier pour terminer.</translation>
    </message>
    <message>
        <source>Import: {text}</source>
        <translation>Import : {text}</translation>
    </message>
    <message>
        <source>Importing and suggesting tags</source>
        <translation>Import et suggestion de mots-clés</translation>
    </message>
    <message>
        <source>What was imported is kept; import the same folder again to finish.</source>
        <translation>Ce qui a été importé est conservé ; importez de nouveau le même dossier pour terminer.</translation>
    </message>
    <message>
        <source>Exported {n} XMP sidecars beside the images.</source>
        <translation>{n} fichiers XMP annexes exportés à côté des images.</translation>
    </message>
    <message>
        <source>Exported {n} XMP sidecars to {where}.</source>
        <translation>{n} fichiers XMP annexes exportés : {where}.</translation>
    </message>
    <message>
        <source>Exported {n} records to {where}.</source>
        <translation>{n} notices exportées vers {where}.</translation>
    </message>
    <message>
        <source>{n} left out: not ours or no image.</source>
        <translation>{n} laissées de côté : fichier qui n’est pas le nôtre, ou pas d’image.</translation>
    </message>
    <message>
        <source>Exporting {what} as {format}</source>
        <translation>Export en {format} : {what}</translation>
    </message>
    <message>
        <source>Export: {text}</source>
        <translation>Export : {text}</translation>
    </message>
    <message>
        <source>Nothing was written: an export is saved only when complete.</source>
        <translation>Rien n’a été écrit : un export n’est enregistré que s’il est complet.</translation>
    </message>
    <message>
        <source>{title}: {text}</source>
        <translation>{title} : {text}</translation>
    </message>
    <message>
        <source>{title}: open a catalogue first, or wait for the same job to finish.</source>
        <translation>{title} : ouvrez d’abord un catalogue, ou attendez la fin de la même tâche.</translation>
    </message>
</context>
<context>
    <name>JobsPanel</name>
    <message>
        <source>No job is running. Training, retraining, imports and exports appear here.</source>
        <translation>Aucune tâche en cours. Entraînements, réentraînements, imports et exports apparaissent ici.</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>Effacer les tâches terminées</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Tâches</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>System</source>
        <extracomment>the environment variable that forces the language (&quot;en&quot;, &quot;fr&quot;), over the preference and the system the app&apos;s own translations: ``&lt;resources&gt;/i18n/heritage_tagger_&lt;lang&gt;.qm`` the preference&apos;s values and their labels in the dialog (&quot;system&quot;: follow the operating system)</extracomment>
        <translation>Système</translation>
    </message>
</context>
<context>
    <name>LinksTab</name>
    <message>
        <source>Recompute every link (unlinks tags that no longer match)</source>
        <translation>Recalculer tous les liens (délie les mots-clés qui ne correspondent plus)</translation>
    </message>
    <message>
        <source>Link tags now</source>
        <translation>Lier les mots-clés</translation>
    </message>
    <message>
        <source>Link tags to match the catalogue&apos;s tags against the vocabularies&apos; labels.</source>
        <translation>« Lier les mots-clés » rapproche les mots-clés du catalogue des libellés des vocabulaires.</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Mot-clé</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>Photos</translation>
    </message>
    <message>
        <source>Concept</source>
        <translation>Concept</translation>
    </message>
    <message>
        <source>Tags and their concepts</source>
        <translation>Mots-clés et leurs concepts</translation>
    </message>
    <message>
        <source>Find a concept for the selected tag…</source>
        <translation>Chercher un concept pour le mot-clé sélectionné…</translation>
    </message>
    <message>
        <source>Find a concept for the selected tag</source>
        <translation>Chercher un concept pour le mot-clé sélectionné</translation>
    </message>
    <message>
        <source>Link the selected tag</source>
        <translation>Lier le mot-clé sélectionné</translation>
    </message>
    <message>
        <source>Unlink it</source>
        <translation>Le délier</translation>
    </message>
    <message>
        <source>A tag left unlinked: pick a candidate concept above, or find one here:</source>
        <translation>Mot-clé non lié : choisissez un concept candidat ci-dessus, ou cherchez-en un ici :</translation>
    </message>
    <message>
        <source>Linked {linked} tags now; {kept} were linked before.</source>
        <translation>{linked} mots-clés liés maintenant ; {kept} l’étaient déjà.</translation>
    </message>
    <message>
        <source> {n} links changed.</source>
        <translation> {n} liens modifiés.</translation>
    </message>
    <message>
        <source> {ambiguous} name several concepts, {unlinked} tags on photos match none</source>
        <translation> {ambiguous} désignent plusieurs concepts, {unlinked} mots-clés de photos n’en désignent aucun</translation>
    </message>
    <message>
        <source> ({n} more are on no photo).</source>
        <translation> ({n} autres ne sont sur aucune photo).</translation>
    </message>
    <message>
        <source>Name several concepts ({n_ambiguous})</source>
        <translation>Désignent plusieurs concepts ({n_ambiguous})</translation>
    </message>
    <message>
        <source>{n_candidates} candidates</source>
        <translation>{n_candidates} candidats</translation>
    </message>
    <message>
        <source>Link “{label}” to {label2} ({vocabulary})</source>
        <translation>Lier « {label} » à {label2} ({vocabulary})</translation>
    </message>
    <message>
        <source>Match no concept ({n_unlinked}), most used first</source>
        <translation>Aucun concept ({n_unlinked}), les plus utilisés d’abord</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&lt;b&gt;Heritage Tagger {version}&lt;/b&gt;&lt;p&gt;Suggests subject tags for heritage photograph collections from the photos&apos; visual neighbours (collective knowledge), and records every review decision.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Heritage Tagger {version}&lt;/b&gt;&lt;p&gt;Suggère des vedettes-matière pour les fonds photographiques patrimoniaux à partir des voisins visuels des photos (connaissance collective), et consigne chaque décision de révision.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Retrain…</source>
        <translation>Réentraîner…</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Tâches</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>&amp;Tâches</translation>
    </message>
    <message>
        <source>&amp;Saved searches</source>
        <translation>Recherches &amp;enregistrées</translation>
    </message>
    <message>
        <source>About Heritage Tagger</source>
        <translation>À propos de Heritage Tagger</translation>
    </message>
    <message>
        <source>{total} photos</source>
        <translation>{total} photos</translation>
    </message>
    <message>
        <source>No photo matches the filters.</source>
        <translation>Aucune photo ne correspond aux filtres.</translation>
    </message>
    <message>
        <source>Opening {where}…</source>
        <translation>Ouverture de {where}…</translation>
    </message>
    <message>
        <source>Opened {name}.</source>
        <translation>{name} ouvert.</translation>
    </message>
    <message>
        <source>New catalogue</source>
        <translation>Nouveau catalogue</translation>
    </message>
    <message>
        <source>Catalogues (*.sqlite)</source>
        <translation>Catalogues (*.sqlite)</translation>
    </message>
    <message>
        <source>Open catalogue</source>
        <translation>Ouvrir un catalogue</translation>
    </message>
    <message>
        <source>Catalogues (*.sqlite);;All files (*)</source>
        <translation>Catalogues (*.sqlite);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Select a photo to see its suggestions.</source>
        <translation>Sélectionnez une photo pour voir ses suggestions.</translation>
    </message>
    <message>
        <source>Still running: {names}. Quit anyway? The jobs are cancelled: the active model stays as it was, and what an import or the review queue&apos;s suggestions finished is kept.</source>
        <translation>Encore en cours : {names}. Quitter quand même ? Les tâches sont annulées : le modèle actif reste inchangé, et ce qu’un import ou les suggestions de la file de révision ont terminé est conservé.</translation>
    </message>
    <message>
        <source>Some decisions are still being written. Quit anyway?</source>
        <translation>Des décisions sont encore en cours d’enregistrement. Quitter quand même ?</translation>
    </message>
    <message>
        <source>Quit Heritage Tagger?</source>
        <translation>Quitter Heritage Tagger ?</translation>
    </message>
    <message>
        <source>Preferences saved (reviewer: {name}).</source>
        <translation>Préférences enregistrées (réviseur : {name}).</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>Connect to a &amp;team catalogue…</source>
        <translation>Se &amp;connecter à un catalogue d’équipe…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exporter…</translation>
    </message>
    <message>
        <source>&amp;Vocabularies…</source>
        <translation>&amp;Vocabulaires contrôlés…</translation>
    </message>
    <message>
        <source>&amp;Link tags to concepts…</source>
        <translation>&amp;Lier les mots-clés aux concepts…</translation>
    </message>
    <message>
        <source>&amp;Merge tag variants…</source>
        <translation>&amp;Fusionner les variantes de mots-clés…</translation>
    </message>
    <message>
        <source>&amp;Find a concept / filter by it…</source>
        <translation>&amp;Chercher un concept / filtrer par concept…</translation>
    </message>
    <message>
        <source>&amp;Train…</source>
        <translation>&amp;Entraîner…</translation>
    </message>
    <message>
        <source>&amp;Retrain…</source>
        <translation>&amp;Réentraîner…</translation>
    </message>
    <message>
        <source>&amp;Versions…</source>
        <translation>&amp;Versions…</translation>
    </message>
    <message>
        <source>Review &amp;queue (needs attention first)</source>
        <translation>&amp;File de révision (à vérifier en premier)</translation>
    </message>
    <message>
        <source>Photos &amp;for a tag…</source>
        <translation>Photos p&amp;our un mot-clé…</translation>
    </message>
    <message>
        <source>Open the &amp;demo collection</source>
        <translation>Ouvrir le fonds de &amp;démonstration</translation>
    </message>
    <message>
        <source>&amp;About Heritage Tagger</source>
        <translation>À &amp;propos de Heritage Tagger</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <extracomment>menu title: action names in order (&quot;&quot; is a separator)</extracomment>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>Re&amp;cherche</translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation>&amp;Révision</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Modèle</translation>
    </message>
    <message>
        <source>Voc&amp;abulary</source>
        <translation>&amp;Vocabulaire</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Dismiss the message</source>
        <translation>Fermer le message</translation>
    </message>
</context>
<context>
    <name>ModelJobsController</name>
    <message>
        <source>The active model is unchanged.</source>
        <translation>Le modèle actif est inchangé.</translation>
    </message>
    <message>
        <source>{title}: a training or retraining is already running (see the Jobs panel).</source>
        <translation>{title} : un entraînement ou réentraînement est déjà en cours (voir le panneau Tâches).</translation>
    </message>
    <message>
        <source>Training the model</source>
        <translation>Entraînement du modèle</translation>
    </message>
    <message>
        <source>Training finished: {version} is the active model.</source>
        <translation>Entraînement terminé : {version} est le modèle actif.</translation>
    </message>
    <message>
        <source>{title}: {text}</source>
        <translation>{title} : {text}</translation>
    </message>
    <message>
        <source>Finished: {version} learned from {n_training_rows} photos and is active.</source>
        <translation>Terminé : {version} a appris de {n_training_rows} photos et est actif.</translation>
    </message>
    <message>
        <source>Filling the review queue</source>
        <translation>Remplissage de la file de révision</translation>
    </message>
    <message>
        <source>The review queue is ready: suggestions stored for {n} photos not reviewed yet (Review &gt; Review queue, needs attention first).</source>
        <translation>La file de révision est prête : suggestions enregistrées pour {n} photos pas encore revues (Révision &gt; File de révision, à vérifier en premier).</translation>
    </message>
    <message>
        <source>The suggestions stored so far are kept; the next run carries on.</source>
        <translation>Les suggestions déjà enregistrées sont conservées ; le prochain passage reprend la suite.</translation>
    </message>
    <message>
        <source>Finished: suggestions stored for {n} photos.</source>
        <translation>Terminé : suggestions enregistrées pour {n} photos.</translation>
    </message>
    <message>
        <source>{version} is now the active model; its suggestions are being stored (see Jobs).</source>
        <translation>{version} est désormais le modèle actif ; ses suggestions sont en cours d’enregistrement (voir Tâches).</translation>
    </message>
    <message>
        <source>Activating {version}: {text}</source>
        <translation>Activation de {version} : {text}</translation>
    </message>
    <message>
        <source>Activating {version}</source>
        <translation>Activation de {version}</translation>
    </message>
    <message>
        <source>Finished: {version} is active.</source>
        <translation>Terminé : {version} est actif.</translation>
    </message>
    <message>
        <source>Retraining</source>
        <translation>Réentraînement</translation>
    </message>
    <message>
        <source>Candidate {version} trained and compared: {verdict} is advised.</source>
        <translation>Candidat {version} entraîné et comparé : conseil : {verdict}.</translation>
    </message>
    <message>
        <source>Finished: candidate {version} compared with the active model.</source>
        <translation>Terminé : candidat {version} comparé au modèle actif.</translation>
    </message>
    <message>
        <source>A training or retraining is already running (see the Jobs panel).</source>
        <translation>Un entraînement ou réentraînement est déjà en cours (voir le panneau Tâches).</translation>
    </message>
    <message>
        <source>Discarded the candidate {version}; the active model is unchanged.</source>
        <translation>Candidat {version} écarté ; le modèle actif est inchangé.</translation>
    </message>
    <message>
        <source>Removed {version}.</source>
        <translation>{version} supprimé.</translation>
    </message>
    <message>
        <source>Retraining is due: {reason}.</source>
        <translation>Un réentraînement est conseillé : {reason}.</translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <source>Needs attention first</source>
        <translation>À vérifier en premier</translation>
    </message>
    <message>
        <source>Least confident first</source>
        <translation>Les moins sûres d’abord</translation>
    </message>
    <message>
        <source>Most confident first</source>
        <translation>Les plus sûres d’abord</translation>
    </message>
    <message>
        <source>By identifier</source>
        <translation>Par identifiant</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source>Every decision is recorded under this name; teammates see it</source>
        <translation>Chaque décision est consignée sous ce nom ; vos collègues le voient</translation>
    </message>
    <message>
        <source>Opened at start-up (empty: the default catalogue)</source>
        <translation>Ouvert au démarrage (vide : le catalogue par défaut)</translation>
    </message>
    <message>
        <source>A catalogue file, or a team catalogue&apos;s postgresql://USER@HOST/DATABASE</source>
        <translation>Un fichier de catalogue, ou le postgresql://UTILISATEUR@HÔTE/BASE d’un catalogue d’équipe</translation>
    </message>
    <message>
        <source>As recorded in the team catalogue</source>
        <translation>Comme enregistré dans le catalogue d’équipe</translation>
    </message>
    <message>
        <source>Where this computer reaches the team catalogue&apos;s shared media folder</source>
        <translation>Chemin du dossier de médias partagé du catalogue d’équipe sur cet ordinateur</translation>
    </message>
    <message>
        <source> (unavailable: {reason})</source>
        <translation> (indisponible : {reason})</translation>
    </message>
    <message>
        <source>Proposed tags when the model does not estimate how many a photo carries</source>
        <translation>Mots-clés proposés quand le modèle n’estime pas combien une photo en porte</translation>
    </message>
    <message>
        <source> % of them right</source>
        <translation> % de justes</translation>
    </message>
    <message>
        <source>A tag is proposed only when its calibrated probability clears the threshold at which at least this
share of proposed tags was right on held-out photos. Higher: fewer, surer suggestions and more
photos with &apos;no confident suggestion&apos;; lower: more suggestions, more of them wrong.</source>
        <translation>Un mot-clé n’est proposé que si sa probabilité calibrée dépasse le seuil auquel au moins cette
part des mots-clés proposés était juste sur des photos de test. Plus haut : moins de suggestions, plus sûres,
et plus de photos « sans suggestion sûre » ; plus bas : plus de suggestions, dont plus d’erreurs.</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source> decisions</source>
        <translation> décisions</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Offer retraining at start-up after this many new review decisions</source>
        <translation>Proposer un réentraînement au démarrage après ce nombre de nouvelles décisions de révision</translation>
    </message>
    <message>
        <source> days</source>
        <translation> jours</translation>
    </message>
    <message>
        <source>Offer retraining at start-up when the active model is this old</source>
        <translation>Proposer un réentraînement au démarrage quand le modèle actif a cet âge</translation>
    </message>
    <message>
        <source>The order in which an imported folder&apos;s photos open for review</source>
        <translation>L’ordre dans lequel les photos d’un dossier importé s’ouvrent pour révision</translation>
    </message>
    <message>
        <source>Light or dark colours; “Follow the system” changes with the system&apos;s setting</source>
        <translation>Couleurs claires ou sombres ; « Suivre le système » change avec le réglage du système</translation>
    </message>
    <message>
        <source>System size</source>
        <translation>Taille du système</translation>
    </message>
    <message>
        <source>{percent}% of the system size</source>
        <translation>{percent} % de la taille du système</translation>
    </message>
    <message>
        <source>The size of all text, relative to the system&apos;s default font</source>
        <translation>La taille de tout le texte, par rapport à la police par défaut du système</translation>
    </message>
    <message>
        <source>Login name</source>
        <translation>Nom de connexion</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <source>Team media folder</source>
        <translation>Dossier de médias d’équipe</translation>
    </message>
    <message>
        <source>Backbone (training)</source>
        <translation>Réseau de base (entraînement)</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Processeur</translation>
    </message>
    <message>
        <source>Suggestions proposed</source>
        <translation>Suggestions proposées</translation>
    </message>
    <message>
        <source>Propose tags with</source>
        <translation>Proposer les mots-clés à</translation>
    </message>
    <message>
        <source>Thumbnail size</source>
        <translation>Taille des vignettes</translation>
    </message>
    <message>
        <source>Review queue order</source>
        <translation>Ordre de la file de révision</translation>
    </message>
    <message>
        <source>Offer retraining after</source>
        <translation>Proposer un réentraînement après</translation>
    </message>
    <message>
        <source>… or every</source>
        <translation>… ou tous les</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>&amp;Apparence</translation>
    </message>
    <message>
        <source>Te&amp;xt size</source>
        <translation>Ta&amp;ille du texte</translation>
    </message>
    <message>
        <source>The language of menus and windows; it changes at the next start</source>
        <translation>La langue des menus et des fenêtres ; elle change au prochain démarrage</translation>
    </message>
    <message>
        <source>Language (at the next start)</source>
        <translation>Langue (au prochain démarrage)</translation>
    </message>
</context>
<context>
    <name>RecordTableModel</name>
    <message>
        <source>Identifier</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lieu</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Mots-clés</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Confiance</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>pending</source>
        <extracomment>the State column&apos;s words (row.state)</extracomment>
        <translation>en attente</translation>
    </message>
    <message>
        <source>reviewed</source>
        <translation>revue</translation>
    </message>
    <message>
        <source>untagged</source>
        <translation>sans mot-clé</translation>
    </message>
    <message>
        <source>catalogued</source>
        <translation>cataloguée</translation>
    </message>
</context>
<context>
    <name>RetrainDialog</name>
    <message>
        <source>Retrain the model</source>
        <translation>Réentraîner le modèle</translation>
    </message>
    <message>
        <source>No model is active yet: use Model &gt; Train… first.</source>
        <translation>Aucun modèle actif : utilisez d’abord Modèle &gt; Entraîner…</translation>
    </message>
    <message>
        <source>{decisions} review decisions arrived since the active model {version} was trained ({created}, backbone {backbone}, {photos} photos).
Retraining learns from catalogued and accepted tags (never rejected ones) and compares the candidate with the active model on photos neither was trained on. It runs in the background: keep working, the Jobs panel shows how far it got.</source>
        <translation>{decisions} décisions de révision depuis l’entraînement du modèle actif {version} ({created}, réseau de base {backbone}, {photos} photos).
Le réentraînement apprend des mots-clés catalogués et acceptés (jamais des rejetés) et compare le candidat au modèle actif sur des photos qu’aucun des deux n’a vues à l’entraînement. Il tourne en arrière-plan : continuez à travailler, le panneau Tâches montre où il en est.</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Mesure</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>Candidat</translation>
    </message>
    <message>
        <source>What it means</source>
        <translation>Ce que cela signifie</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Lancer</translation>
    </message>
    <message>
        <source>Cancel retraining</source>
        <translation>Annuler le réentraînement</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>Activer</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Écarter</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Retraining results</source>
        <translation>Résultats du réentraînement</translation>
    </message>
    <message>
        <source>The active model and the candidate compared</source>
        <translation>Le modèle actif et le candidat comparés</translation>
    </message>
    <message>
        <source>Training the candidate and the comparison in the background (see the Jobs panel). You can close this window and keep working; it opens again with the comparison.</source>
        <translation>Entraînement du candidat et comparaison en arrière-plan (voir le panneau Tâches). Vous pouvez fermer cette fenêtre et continuer à travailler ; elle se rouvre avec la comparaison.</translation>
    </message>
    <message>
        <source>Cancelling: the current step finishes first. The active model is unchanged.</source>
        <translation>Annulation : l’étape en cours se termine d’abord. Le modèle actif est inchangé.</translation>
    </message>
    <message>
        <source>{text} The active model is unchanged.</source>
        <translation>{text} Le modèle actif est inchangé.</translation>
    </message>
    <message>
        <source>Candidate {version} trained on {photos} photos ({tags} tags). Activate it, or discard it (closing keeps it, inactive, in Model &gt; Versions).</source>
        <translation>Candidat {version} entraîné sur {photos} photos ({tags} mots-clés). Activez-le ou écartez-le (fermer le garde, inactif, dans Modèle &gt; Versions).</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recommendation: {verdict}.&lt;/b&gt; {reason}</source>
        <translation>&lt;b&gt;Recommandation : {verdict}.&lt;/b&gt; {reason}</translation>
    </message>
    <message>
        <source>Recommendation: {verdict}. {reason}</source>
        <translation>Recommandation : {verdict}. {reason}</translation>
    </message>
    <message>
        <source>Active
{version}</source>
        <translation>Actif
{version}</translation>
    </message>
    <message>
        <source>Candidate
{version}</source>
        <translation>Candidat
{version}</translation>
    </message>
    <message>
        <source>better than the active model</source>
        <translation>meilleur que le modèle actif</translation>
    </message>
</context>
<context>
    <name>ReviewController</name>
    <message>
        <source>Accepted</source>
        <translation>Accepté</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rejeté</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Ajouté</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Retiré</translation>
    </message>
    <message>
        <source>Marked</source>
        <translation>Marqué</translation>
    </message>
    <message>
        <source>Nothing to do: every proposed tag is already decided.</source>
        <translation>Rien à faire : tous les mots-clés proposés sont déjà traités.</translation>
    </message>
    <message>
        <source>Marked the photo reviewed</source>
        <translation>Photo marquée comme revue</translation>
    </message>
    <message>
        <source>{verb} the photo reviewed</source>
        <translation>{verb} : photo marquée comme revue</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fait</translation>
    </message>
    <message>
        <source>{verb} {labels}</source>
        <translation>{verb} : {labels}</translation>
    </message>
    <message>
        <source>Select a photo first.</source>
        <translation>Sélectionnez d’abord une photo.</translation>
    </message>
    <message>
        <source>This photo&apos;s suggestions are still loading: the key acts as soon as they are shown.</source>
        <translation>Les suggestions de cette photo sont en cours de chargement : la touche agira dès leur affichage.</translation>
    </message>
    <message>
        <source>No suggestion to review on this photo.</source>
        <translation>Aucune suggestion à réviser sur cette photo.</translation>
    </message>
    <message>
        <source>No tag is current.</source>
        <translation>Aucun mot-clé courant.</translation>
    </message>
    <message>
        <source>“{label}” is not on the photo: Delete removes a tag it carries (R rejects).</source>
        <translation>« {label} » n’est pas sur la photo : Suppr retire un mot-clé qu’elle porte (R rejette).</translation>
    </message>
    <message>
        <source>No catalogue is open.</source>
        <translation>Aucun catalogue ouvert.</translation>
    </message>
    <message>
        <source>  (Ctrl+Z undoes)</source>
        <translation>  (Ctrl+Z annule)</translation>
    </message>
    <message>
        <source>Nothing to undo.</source>
        <translation>Rien à annuler.</translation>
    </message>
    <message>
        <source>Undid: {what}</source>
        <translation>Annulé : {what}</translation>
    </message>
    <message>
        <source>Undid</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source> (logged as a compensating entry)</source>
        <translation> (consigné comme écriture compensatoire)</translation>
    </message>
    <message>
        <source>Nothing to redo.</source>
        <translation>Rien à rétablir.</translation>
    </message>
    <message>
        <source>Redid: {what}</source>
        <translation>Rétabli : {what}</translation>
    </message>
    <message>
        <source>Redid</source>
        <translation>Rétabli</translation>
    </message>
</context>
<context>
    <name>ReviewCursor</name>
    <message>
        <source>model suggestion</source>
        <translation>suggestion du modèle</translation>
    </message>
    <message>
        <source>neighbours&apos; tag</source>
        <translation>mot-clé des voisins</translation>
    </message>
    <message>
        <source>tag the photo carries</source>
        <translation>mot-clé porté par la photo</translation>
    </message>
    <message>
        <source>No suggestion to review on this photo.</source>
        <translation>Aucune suggestion à réviser sur cette photo.</translation>
    </message>
    <message>
        <source>Loading this photo&apos;s suggestions…</source>
        <translation>Chargement des suggestions de cette photo…</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>accepté</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>rejeté</translation>
    </message>
    <message>
        <source>catalogued</source>
        <translation>catalogué</translation>
    </message>
    <message>
        <source>, proposed</source>
        <translation>, proposé</translation>
    </message>
    <message>
        <source>Delete removes it</source>
        <translation>Suppr le retire</translation>
    </message>
    <message>
        <source>A accepts, R rejects</source>
        <translation>A accepte, R rejette</translation>
    </message>
    <message>
        <source>Ctrl+Z undoes</source>
        <translation>Ctrl+Z annule</translation>
    </message>
    <message>
        <source>“{label}”: {kind}, {words}{score}. {keys}; Tab moves to the next list.</source>
        <translation>« {label} » : {kind}, {words}{score}. {keys} ; Tab passe à la liste suivante.</translation>
    </message>
</context>
<context>
    <name>SavedSearchesController</name>
    <message>
        <source>Could not read the saved searches: {error}</source>
        <translation>Impossible de lire les recherches enregistrées : {error}</translation>
    </message>
    <message>
        <source>No saved searches yet</source>
        <translation>Aucune recherche enregistrée</translation>
    </message>
    <message>
        <source>Show the photos of the saved search “{name}”</source>
        <translation>Afficher les photos de la recherche enregistrée « {name} »</translation>
    </message>
    <message>
        <source>Showing the saved search “{name}”.</source>
        <translation>Recherche enregistrée « {name} » affichée.</translation>
    </message>
    <message>
        <source>the tag “{0}”</source>
        <translation>le mot-clé « {0} »</translation>
    </message>
    <message>
        <source>the concept “{0}”</source>
        <translation>le concept « {0} »</translation>
    </message>
    <message>
        <source>import batch {0}</source>
        <translation>le lot d’import {0}</translation>
    </message>
    <message>
        <source>Saved search “{name}” shown without {parts}: no longer in the catalogue.</source>
        <translation>Recherche enregistrée « {name} » affichée sans {parts} : introuvable dans le catalogue.</translation>
    </message>
    <message>
        <source>Saved search “{name}”: {fields} saved by a newer version, left out.</source>
        <translation>Recherche enregistrée « {name} » : critères d’une version plus récente ignorés ({fields}).</translation>
    </message>
    <message>
        <source>Save current search</source>
        <translation>Enregistrer la recherche courante</translation>
    </message>
    <message>
        <source>Name of the saved search:</source>
        <translation>Nom de la recherche enregistrée :</translation>
    </message>
    <message>
        <source>A saved search needs a name.</source>
        <translation>Une recherche enregistrée doit avoir un nom.</translation>
    </message>
    <message>
        <source>Replaced the saved search “{name}”.</source>
        <translation>Recherche enregistrée « {name} » remplacée.</translation>
    </message>
    <message>
        <source>Saved the search “{name}”.</source>
        <translation>Recherche « {name} » enregistrée.</translation>
    </message>
    <message>
        <source>Replace saved search?</source>
        <translation>Remplacer la recherche enregistrée ?</translation>
    </message>
    <message>
        <source>A saved search named “{name}” exists already. Replace its filters with the current ones?</source>
        <translation>Une recherche enregistrée nommée « {name} » existe déjà. Remplacer ses filtres par les filtres courants ?</translation>
    </message>
    <message>
        <source>Rename saved search</source>
        <translation>Renommer la recherche enregistrée</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>Nouveau nom :</translation>
    </message>
    <message>
        <source>Renamed the saved search to “{name}”.</source>
        <translation>Recherche enregistrée renommée en « {name} ».</translation>
    </message>
    <message>
        <source>A saved search named “{name}” exists already: choose another name.</source>
        <translation>Une recherche enregistrée nommée « {name} » existe déjà : choisissez un autre nom.</translation>
    </message>
    <message>
        <source>Delete saved search?</source>
        <translation>Supprimer la recherche enregistrée ?</translation>
    </message>
    <message>
        <source>Delete the saved search “{name}”? No photo or tag changes.</source>
        <translation>Supprimer la recherche enregistrée « {name} » ? Aucune photo ni aucun mot-clé ne change.</translation>
    </message>
    <message>
        <source>Deleted the saved search “{name}”.</source>
        <translation>Recherche enregistrée « {name} » supprimée.</translation>
    </message>
</context>
<context>
    <name>SavedSearchesPanel</name>
    <message>
        <source>Saved searches</source>
        <translation>Recherches enregistrées</translation>
    </message>
    <message>
        <source>Click a saved search to show its photos</source>
        <translation>Cliquez sur une recherche enregistrée pour afficher ses photos</translation>
    </message>
    <message>
        <source>No saved searches yet: set the filters, then “Save current search…”.</source>
        <translation>Aucune recherche enregistrée : réglez les filtres, puis « Enregistrer la recherche courante… ».</translation>
    </message>
    <message>
        <source>Save current…</source>
        <translation>Enregistrer…</translation>
    </message>
    <message>
        <source>Save the current filters with a name</source>
        <translation>Enregistrer les filtres courants sous un nom</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Renommer…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Saved by {who} on {when}</source>
        <translation>Enregistrée par {who} le {when}</translation>
    </message>
    <message>
        <source>&amp;Show these photos</source>
        <translation>&amp;Afficher ces photos</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Renommer…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>&amp;Accept suggestion</source>
        <translation>&amp;Accepter la suggestion</translation>
    </message>
    <message>
        <source>Accept the current suggestion (▶, the review cursor)</source>
        <translation>Accepter la suggestion courante (▶, le curseur de révision)</translation>
    </message>
    <message>
        <source>&amp;Reject suggestion</source>
        <translation>&amp;Rejeter la suggestion</translation>
    </message>
    <message>
        <source>Reject the current suggestion (▶)</source>
        <translation>Rejeter la suggestion courante (▶)</translation>
    </message>
    <message>
        <source>Accept all &amp;proposed</source>
        <translation>Accepter toutes les &amp;propositions</translation>
    </message>
    <message>
        <source>Accept every proposed (●) tag of the photo still open</source>
        <translation>Accepter tous les mots-clés proposés (●) encore ouverts de la photo</translation>
    </message>
    <message>
        <source>Re&amp;ject all proposed</source>
        <translation>Re&amp;jeter toutes les propositions</translation>
    </message>
    <message>
        <source>Reject every proposed (●) tag of the photo still open (one undo)</source>
        <translation>Rejeter tous les mots-clés proposés (●) encore ouverts de la photo (une seule annulation)</translation>
    </message>
    <message>
        <source>&amp;Mark photo reviewed</source>
        <translation>&amp;Marquer la photo comme revue</translation>
    </message>
    <message>
        <source>Done with this photo: it leaves the review queue (undoable)</source>
        <translation>Photo terminée : elle quitte la file de révision (annulable)</translation>
    </message>
    <message>
        <source>Add &amp;tag…</source>
        <translation>Ajouter un mo&amp;t-clé…</translation>
    </message>
    <message>
        <source>Add a tag, with completion from the collection&apos;s vocabulary</source>
        <translation>Ajouter un mot-clé, avec complétion depuis le vocabulaire du fonds</translation>
    </message>
    <message>
        <source>R&amp;emove tag</source>
        <translation>R&amp;etirer le mot-clé</translation>
    </message>
    <message>
        <source>Remove the current tag (▶) from the photo</source>
        <translation>Retirer le mot-clé courant (▶) de la photo</translation>
    </message>
    <message>
        <source>&amp;Next photo</source>
        <translation>Photo &amp;suivante</translation>
    </message>
    <message>
        <source>Next photo; the cursor goes to its first proposal</source>
        <translation>Photo suivante ; le curseur va à sa première proposition</translation>
    </message>
    <message>
        <source>Pre&amp;vious photo</source>
        <translation>Photo pré&amp;cédente</translation>
    </message>
    <message>
        <source>Previous photo</source>
        <translation>Photo précédente</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>Undo the last decision (a compensating entry is logged)</source>
        <translation>Annuler la dernière décision (une écriture compensatoire est consignée)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rétablir</translation>
    </message>
    <message>
        <source>Redo the decision just undone</source>
        <translation>Rétablir la décision qui vient d’être annulée</translation>
    </message>
    <message>
        <source>&amp;Batch edit selected photos…</source>
        <translation>&amp;Modification par lot des photos sélectionnées…</translation>
    </message>
    <message>
        <source>Set or append a field, add, remove or accept a tag on every selected photo (one undo)</source>
        <translation>Remplir ou compléter un champ, ajouter, retirer ou accepter un mot-clé sur chaque photo sélectionnée (une seule annulation)</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>Re&amp;chercher…</translation>
    </message>
    <message>
        <source>Search the collection</source>
        <translation>Rechercher dans le fonds</translation>
    </message>
    <message>
        <source>&amp;Open catalogue…</source>
        <translation>&amp;Ouvrir un catalogue…</translation>
    </message>
    <message>
        <source>Open another catalogue</source>
        <translation>Ouvrir un autre catalogue</translation>
    </message>
    <message>
        <source>&amp;New catalogue…</source>
        <translation>&amp;Nouveau catalogue…</translation>
    </message>
    <message>
        <source>Create a new catalogue</source>
        <translation>Créer un nouveau catalogue</translation>
    </message>
    <message>
        <source>&amp;Import folder…</source>
        <translation>&amp;Importer un dossier…</translation>
    </message>
    <message>
        <source>Import a folder of photos</source>
        <translation>Importer un dossier de photos</translation>
    </message>
    <message>
        <source>&amp;Save current search…</source>
        <translation>&amp;Enregistrer la recherche courante…</translation>
    </message>
    <message>
        <source>Save the current filters with a name (Search menu, Saved searches sidebar)</source>
        <translation>Enregistrer les filtres courants sous un nom (menu Recherche, panneau Recherches enregistrées)</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <source>Reviewer name, model and display preferences</source>
        <translation>Nom du réviseur, préférences du modèle et de l’affichage</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>Zoom a&amp;vant</translation>
    </message>
    <message>
        <source>Zoom into the photo</source>
        <translation>Agrandir la photo</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>Zoom a&amp;rrière</translation>
    </message>
    <message>
        <source>Zoom out of the photo</source>
        <translation>Réduire la photo</translation>
    </message>
    <message>
        <source>&amp;Fit the photo</source>
        <translation>&amp;Ajuster la photo</translation>
    </message>
    <message>
        <source>Fit the photo to its pane</source>
        <translation>Ajuster la photo à son panneau</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>&amp;Guide de l’utilisateur</translation>
    </message>
    <message>
        <source>The user guide: first hour, review keys, scores, exports</source>
        <translation>Le guide de l’utilisateur : première heure, touches de révision, scores, exports</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <source>This list</source>
        <translation>Cette liste</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>Action</translation>
    </message>
    <message>
        <source> or </source>
        <translation> ou </translation>
    </message>
</context>
<context>
    <name>SuggestionLoader</name>
    <message>
        <source>No trained model yet for this catalogue. Train one on the tags it already carries to see suggestions here.</source>
        <translation>Aucun modèle entraîné pour ce catalogue. Entraînez-en un sur les mots-clés qu’il porte déjà pour voir des suggestions ici.</translation>
    </message>
    <message>
        <source>Computing suggestions with model {version}…</source>
        <translation>Calcul des suggestions avec le modèle {version}…</translation>
    </message>
</context>
<context>
    <name>SuggestionPanel</name>
    <message>
        <source>Model suggestion</source>
        <translation>Suggestion du modèle</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>Probabilité</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Named in its text</source>
        <translation>Nommé dans son texte</translation>
    </message>
    <message>
        <source>Found in</source>
        <translation>Trouvé dans</translation>
    </message>
    <message>
        <source>caption</source>
        <translation>légende</translation>
    </message>
    <message>
        <source>similar photos</source>
        <translation>photos semblables</translation>
    </message>
    <message>
        <source>From the photo</source>
        <translation>D’après la photo</translation>
    </message>
    <message>
        <source>From the tags of similar photos</source>
        <translation>D’après les mots-clés de photos semblables</translation>
    </message>
    <message>
        <source>Named in, or suggested by, the record&apos;s title, description or location</source>
        <translation>Nommé ou suggéré par le titre, la description ou le lieu de la notice</translation>
    </message>
    <message>
        <source>✓ accepted</source>
        <translation>✓ accepté</translation>
    </message>
    <message>
        <source>✓ carried</source>
        <translation>✓ porté</translation>
    </message>
    <message>
        <source>✗ rejected</source>
        <translation>✗ rejeté</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>Train model…</source>
        <translation>Entraîner le modèle…</translation>
    </message>
    <message>
        <source>Current suggestion</source>
        <translation>Suggestion courante</translation>
    </message>
    <message>
        <source>Neighbours&apos; tags</source>
        <translation>Mots-clés des voisins</translation>
    </message>
    <message>
        <source>Relevance</source>
        <translation>Pertinence</translation>
    </message>
    <message>
        <source>Tags it carries</source>
        <translation>Mots-clés portés</translation>
    </message>
    <message>
        <source>Neighbours behind these suggestions (click one to open it)</source>
        <translation>Voisins à l’origine de ces suggestions (cliquez pour en ouvrir un)</translation>
    </message>
    <message>
        <source>The visual neighbours behind these suggestions; click one to open it</source>
        <translation>Les voisins visuels à l’origine de ces suggestions ; cliquez pour en ouvrir un</translation>
    </message>
    <message>
        <source>Neighbour photos behind these suggestions</source>
        <translation>Photos voisines à l’origine de ces suggestions</translation>
    </message>
    <message>
        <source>Suggestions</source>
        <translation>Suggestions</translation>
    </message>
    <message>
        <source>Model suggestions</source>
        <translation>Suggestions du modèle</translation>
    </message>
    <message>
        <source>Tags the photo carries</source>
        <translation>Mots-clés portés par la photo</translation>
    </message>
    <message>
        <source>Select a photo to see its suggestions.</source>
        <translation>Sélectionnez une photo pour voir ses suggestions.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Current:&lt;/b&gt; {text}</source>
        <translation>&lt;b&gt;Courant :&lt;/b&gt; {text}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Suggestions&lt;/b&gt;</source>
        <translation>&lt;b&gt;Suggestions&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Stored suggestion</source>
        <translation>Suggestion enregistrée</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>No confident suggestion: this photo needs a person</source>
        <translation>Aucune suggestion sûre : cette photo demande un regard humain</translation>
    </message>
    <message>
        <source>&lt;b&gt;Suggestions&lt;/b&gt;&lt;br&gt;&lt;span style=&apos;color:gray&apos;&gt;model {version} · {backbone}&lt;/span&gt;</source>
        <translation>&lt;b&gt;Suggestions&lt;/b&gt;&lt;br&gt;&lt;span style=&apos;color:gray&apos;&gt;modèle {version} · {backbone}&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Model version {version}, backbone {backbone}</source>
        <translation>Modèle version {version}, réseau de base {backbone}</translation>
    </message>
    <message>
        <source>Served by: {who}</source>
        <translation>Servi par : {who}</translation>
    </message>
    <message>
        <source>not in model</source>
        <translation>hors du modèle</translation>
    </message>
    <message>
        <source>⚠ check</source>
        <translation>⚠ à vérifier</translation>
    </message>
    <message>
        <source>Low relevance to what the neighbours carry: worth a second look</source>
        <translation>Peu pertinent au vu des mots-clés des voisins : à revoir</translation>
    </message>
    <message>
        <source>{identifier} (similarity {similarity})</source>
        <translation>{identifier} (similarité {similarity})</translation>
    </message>
    <message>
        <source>The catalogue&apos;s tag: {label}</source>
        <translation>Mot-clé du catalogue : {label}</translation>
    </message>
    <message>
        <source>Proposed: Enter accepts every proposed tag, Shift+R rejects them all</source>
        <translation>Proposé : Entrée accepte tous les mots-clés proposés, Maj+R les rejette tous</translation>
    </message>
    <message>
        <source>&lt;b&gt;Suggestions from the vocabulary&lt;/b&gt;&lt;br&gt;&lt;span style=&apos;color:gray&apos;&gt;no model yet: concepts named in the photo&apos;s title, description or location&lt;/span&gt;</source>
        <translation>&lt;b&gt;Suggestions du vocabulaire&lt;/b&gt;&lt;br&gt;&lt;span style=&apos;color:gray&apos;&gt;pas encore de modèle : concepts nommés dans le titre, la description ou le lieu de la photo&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Train a model to get suggestions from the photos&apos; visual neighbours too</source>
        <translation>Entraînez un modèle pour obtenir aussi des suggestions des voisins visuels des photos</translation>
    </message>
    <message>
        <source>Its title, description and location name no concept of the vocabularies.</source>
        <translation>Son titre, sa description et son lieu ne nomment aucun concept des vocabulaires.</translation>
    </message>
</context>
<context>
    <name>TagSearchController</name>
    <message>
        <source>Finding photos for “{tag}”</source>
        <translation>Recherche des photos pour « {tag} »</translation>
    </message>
    <message>
        <source>The search was cancelled.</source>
        <translation>La recherche a été annulée.</translation>
    </message>
    <message>
        <source>Finished: {n} photos ranked for “{tag}”.</source>
        <translation>Terminé : {n} photos classées pour « {tag} ».</translation>
    </message>
    <message>
        <source>A search is already running (see the Jobs panel).</source>
        <translation>Une recherche est déjà en cours (voir le panneau Tâches).</translation>
    </message>
    <message>
        <source>Another catalogue is open: find the photos again.</source>
        <translation>Un autre catalogue est ouvert : relancez la recherche.</translation>
    </message>
</context>
<context>
    <name>TagSearchDialog</name>
    <message>
        <source>Probability</source>
        <translation>Probabilité</translation>
    </message>
    <message>
        <source>Likely</source>
        <translation>Probable</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>accepté</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>rejeté</translation>
    </message>
    <message>
        <source>already suggested</source>
        <translation>déjà suggéré</translation>
    </message>
    <message>
        <source>Photos for a tag</source>
        <translation>Photos pour un mot-clé</translation>
    </message>
    <message>
        <source>A tag the model knows, e.g. procession</source>
        <translation>Un mot-clé connu du modèle, p. ex. procession</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Mot-clé</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>&amp;Chercher</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Name a tag and press Enter: the photos that do not carry it yet, most likely first.</source>
        <translation>Saisissez un mot-clé et appuyez sur Entrée : les photos qui ne le portent pas encore, les plus probables d’abord.</translation>
    </message>
    <message>
        <source>Photos for the tag</source>
        <translation>Photos pour le mot-clé</translation>
    </message>
    <message>
        <source>&amp;Accept (A)</source>
        <translation>&amp;Accepter (A)</translation>
    </message>
    <message>
        <source>&amp;Reject (R)</source>
        <translation>&amp;Rejeter (R)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation>&amp;Mot-clé :</translation>
    </message>
    <message>
        <source>Search in</source>
        <translation>Chercher dans</translation>
    </message>
    <message>
        <source>&amp;In:</source>
        <translation>&amp;Dans :</translation>
    </message>
    <message>
        <source>All photos</source>
        <translation>Toutes les photos</translation>
    </message>
    <message>
        <source>Reading photos…</source>
        <translation>Lecture des photos…</translation>
    </message>
    <message>
        <source>{searched} photos read, {unreadable} could not be read. Ranked by model {version}: {served_by}.</source>
        <translation>{searched} photos lues, {unreadable} illisibles. Classées par le modèle {version} : {served_by}.</translation>
    </message>
    <message>
        <source>Every photo carries this tag already, or had it rejected.</source>
        <translation>Toutes les photos portent déjà ce mot-clé, ou l’ont vu rejeté.</translation>
    </message>
    <message>
        <source>The {n} photos most likely to show “{tag}” that do not carry it yet ({likely} reach the suggestions&apos; threshold, ✓). A accepts the tag, R rejects it, Enter shows the photo.</source>
        <translation>Les {n} photos les plus susceptibles de montrer « {tag} » qui ne le portent pas encore ({likely} atteignent le seuil des suggestions, ✓). A accepte le mot-clé, R le rejette, Entrée affiche la photo.</translation>
    </message>
    <message>
        <source>Reaches the threshold the suggestions use</source>
        <translation>Atteint le seuil utilisé par les suggestions</translation>
    </message>
    <message>
        <source>This photo is decided already (Ctrl+Z in the main window undoes).</source>
        <translation>Cette photo est déjà décidée (Ctrl+Z dans la fenêtre principale l’annule).</translation>
    </message>
</context>
<context>
    <name>TeamCatalogueDialog</name>
    <message>
        <source>A team catalogue lives on a PostgreSQL server, so that the whole cataloguing team reviews one collection. Your administrator gives you its connection string. Thumbnails, cached features and models live in a shared media folder that every member reaches: give it when the team catalogue is new, or when this computer reaches the team&apos;s folder under another path; leave it empty otherwise.</source>
        <translation>Un catalogue d’équipe réside sur un serveur PostgreSQL, pour que toute l’équipe de catalogage révise un même fonds. Votre administrateur vous en donne la chaîne de connexion. Vignettes, caractéristiques en cache et modèles sont rangés dans un dossier de médias partagé accessible à chaque membre : indiquez-le quand le catalogue d’équipe est nouveau, ou quand cet ordinateur atteint le dossier de l’équipe par un autre chemin ; sinon, laissez-le vide.</translation>
    </message>
    <message>
        <source>Connect to a team catalogue</source>
        <translation>Se connecter à un catalogue d’équipe</translation>
    </message>
    <message>
        <source>As recorded in the team catalogue</source>
        <translation>Comme enregistré dans le catalogue d’équipe</translation>
    </message>
    <message>
        <source>Team media folder on this computer</source>
        <translation>Dossier de médias d’équipe sur cet ordinateur</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Browse for the team media folder</source>
        <translation>Choisir le dossier de médias d’équipe</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Connection string</source>
        <translation>Chaîne de connexion</translation>
    </message>
    <message>
        <source>Media folder</source>
        <translation>Dossier de médias</translation>
    </message>
    <message>
        <source>Write the connection string as postgresql://USER@HOST[:PORT]/DATABASE (your administrator has it).</source>
        <translation>Écrivez la chaîne de connexion sous la forme postgresql://UTILISATEUR@HÔTE[:PORT]/BASE (votre administrateur la connaît).</translation>
    </message>
    <message>
        <source>The team&apos;s shared media folder</source>
        <translation>Le dossier de médias partagé de l’équipe</translation>
    </message>
</context>
<context>
    <name>TeamWatcher</name>
    <message>
        <source> (and {n} more changes by teammates)</source>
        <translation> (et {n} autres modifications par des collègues)</translation>
    </message>
    <message>
        <source> (and 1 more change by teammates)</source>
        <translation> (et 1 autre modification par des collègues)</translation>
    </message>
    <message>
        <source>Could not look for teammates&apos; changes: {exc}</source>
        <translation>Impossible de vérifier les modifications des collègues : {exc}</translation>
    </message>
</context>
<context>
    <name>VariantsTab</name>
    <message>
        <source>Find variants</source>
        <translation>Chercher les variantes</translation>
    </message>
    <message>
        <source>Find variants to see which tags are forms of one another.</source>
        <translation>« Chercher les variantes » montre quels mots-clés sont des formes l’un de l’autre.</translation>
    </message>
    <message>
        <source>Kept tag ← its variants</source>
        <translation>Mot-clé conservé ← ses variantes</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>Photos</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Pourquoi</translation>
    </message>
    <message>
        <source>Tag variants to merge</source>
        <translation>Variantes de mots-clés à fusionner</translation>
    </message>
    <message>
        <source>Merge the checked groups</source>
        <translation>Fusionner les groupes cochés</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Fusion</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Par</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Merges made</source>
        <translation>Fusions effectuées</translation>
    </message>
    <message>
        <source>Undo the selected merge</source>
        <translation>Annuler la fusion sélectionnée</translation>
    </message>
    <message>
        <source>Merges done (each is logged as decisions and can be undone as a whole):</source>
        <translation>Fusions effectuées (chacune est consignée en décisions et peut être annulée en bloc) :</translation>
    </message>
    <message>
        <source>  (the concept&apos;s preferred label, a new tag)</source>
        <translation>  (le libellé préférentiel du concept, un nouveau mot-clé)</translation>
    </message>
    <message>
        <source>Photos carrying one of its variants: they get the kept tag instead</source>
        <translation>Photos portant une de ses variantes : elles reçoivent à la place le mot-clé conservé</translation>
    </message>
    <message>
        <source>{groups} groups, {n} variant tags. Uncheck a group to leave it as it is; the photos carrying a variant get the kept tag instead.</source>
        <translation>{groups} groupes, {n} variantes. Décochez un groupe pour le laisser tel quel ; les photos portant une variante reçoivent à la place le mot-clé conservé.</translation>
    </message>
    <message>
        <source>No variants: every tag is its own.</source>
        <translation>Aucune variante : chaque mot-clé est unique.</translation>
    </message>
    <message>
        <source>undone</source>
        <translation>annulée</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>fusionnée</translation>
    </message>
    <message>
        <source>{what}
{decisions} decisions logged</source>
        <translation>{what}
{decisions} décisions consignées</translation>
    </message>
</context>
<context>
    <name>VersionsDialog</name>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé le</translation>
    </message>
    <message>
        <source>Backbone</source>
        <translation>Réseau de base</translation>
    </message>
    <message>
        <source>Training photos</source>
        <translation>Photos d’entraînement</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Mots-clés</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>Décisions</translation>
    </message>
    <message>
        <source>Measured on</source>
        <translation>Mesuré sur</translation>
    </message>
    <message>
        <source>Model versions</source>
        <translation>Versions du modèle</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>Activer</translation>
    </message>
    <message>
        <source>Make the selected version the active model (rollback)</source>
        <translation>Faire de la version sélectionnée le modèle actif (retour arrière)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Delete the selected version (not the active one)</source>
        <translation>Supprimer la version sélectionnée (pas la version active)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>No model trained yet: Model &gt; Train….</source>
        <translation>Aucun modèle entraîné : Modèle &gt; Entraîner…</translation>
    </message>
    <message>
        <source>● marks the active version. The figures are those of the latest retrain comparison the version took part in (on photos neither model was trained on), the same as the retrain window showed; hover over a heading for what it means.</source>
        <translation>● marque la version active. Les mesures sont celles de la dernière comparaison de réentraînement à laquelle la version a pris part (sur des photos qu’aucun modèle n’a vues à l’entraînement), comme dans la fenêtre de réentraînement ; survolez un en-tête pour sa signification.</translation>
    </message>
    <message>
        <source>{version} is already the active model.</source>
        <translation>{version} est déjà le modèle actif.</translation>
    </message>
    <message>
        <source>Activating {version}…</source>
        <translation>Activation de {version}…</translation>
    </message>
    <message>
        <source>{version} is the active model and cannot be removed: activate another version first.</source>
        <translation>{version} est le modèle actif et ne peut pas être supprimé : activez d’abord une autre version.</translation>
    </message>
</context>
<context>
    <name>VocabulariesTab</name>
    <message>
        <source>Vocabularies (*.ttl *.rdf *.xml *.owl *.nt *.tsv *.txt *.csv);;SKOS Turtle (*.ttl);;SKOS RDF/XML (*.rdf *.xml *.owl);;N-Triples (*.nt);;TSV (*.tsv *.txt);;CSV (*.csv);;All files (*)</source>
        <translation>Vocabulaires (*.ttl *.rdf *.xml *.owl *.nt *.tsv *.txt *.csv);;SKOS Turtle (*.ttl);;SKOS RDF/XML (*.rdf *.xml *.owl);;N-Triples (*.nt);;TSV (*.tsv *.txt);;CSV (*.csv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>Vocabulaire</translation>
    </message>
    <message>
        <source>Concepts</source>
        <translation>Concepts</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Vocabularies</source>
        <translation>Vocabulaires</translation>
    </message>
    <message>
        <source>its title, else the file&apos;s name</source>
        <translation>son titre, sinon le nom du fichier</translation>
    </message>
    <message>
        <source>the file&apos;s most common, e.g. en</source>
        <translation>la plus fréquente du fichier, p. ex. fr</translation>
    </message>
    <message>
        <source>Replace a vocabulary of the same name (tags stay linked by URI)</source>
        <translation>Remplacer un vocabulaire du même nom (les mots-clés restent liés par URI)</translation>
    </message>
    <message>
        <source>Link the catalogue&apos;s tags to its concepts afterwards</source>
        <translation>Lier ensuite les mots-clés du catalogue à ses concepts</translation>
    </message>
    <message>
        <source>Import a vocabulary file…</source>
        <translation>Importer un fichier de vocabulaire…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Désactiver</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>&lt;b&gt;Import&lt;/b&gt;: SKOS (Turtle, RDF/XML, N-Triples), TSV (&amp;lt;URI&amp;gt; tab label) or CSV (uri, pref_label, alt_labels, broader)</source>
        <translation>&lt;b&gt;Import&lt;/b&gt; : SKOS (Turtle, RDF/XML, N-Triples), TSV (&amp;lt;URI&amp;gt; tabulation libellé) ou CSV (uri, pref_label, alt_labels, broader)</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>prêt</translation>
    </message>
    <message>
        <source>incomplete import</source>
        <translation>import incomplet</translation>
    </message>
    <message>
        <source>, disabled</source>
        <translation>, désactivé</translation>
    </message>
    <message>
        <source>any</source>
        <translation>toute</translation>
    </message>
    <message>
        <source>{title}
{scheme}
from {source}</source>
        <translation>{title}
{scheme}
source : {source}</translation>
    </message>
    <message>
        <source>no scheme URI</source>
        <translation>pas d’URI de schéma</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Activer</translation>
    </message>
    <message>
        <source>Import a vocabulary</source>
        <translation>Importer un vocabulaire</translation>
    </message>
    <message>
        <source>Remove the vocabulary</source>
        <translation>Supprimer le vocabulaire</translation>
    </message>
    <message>
        <source>Remove “{name}” ({n_concepts:,} concepts)? Tags linked to its concepts stay, unlinked.</source>
        <translation>Supprimer « {name} » ({n_concepts:,} concepts) ? Les mots-clés liés à ses concepts restent, sans lien.</translation>
    </message>
</context>
<context>
    <name>VocabularyController</name>
    <message>
        <source>linked {tags} to concepts ({unlinked} on photos match none, {ambiguous} name several)</source>
        <translation>{tags} liés à des concepts ({unlinked} sur des photos n’en désignent aucun, {ambiguous} en désignent plusieurs)</translation>
    </message>
    <message>
        <source>A vocabulary job is running: wait for it, or cancel it.</source>
        <translation>Une tâche de vocabulaire est en cours : attendez-la ou annulez-la.</translation>
    </message>
    <message>
        <source>{title}: {error}</source>
        <translation>{title} : {error}</translation>
    </message>
    <message>
        <source>Replaced the vocabulary “{name}”: {concepts}, {labels}</source>
        <translation>Vocabulaire « {name} » remplacé : {concepts}, {labels}</translation>
    </message>
    <message>
        <source>Imported the vocabulary “{name}”: {concepts}, {labels}</source>
        <translation>Vocabulaire « {name} » importé : {concepts}, {labels}</translation>
    </message>
    <message>
        <source>; linking was cancelled (Tag links &gt; Link tags now finishes it)</source>
        <translation> ; la liaison a été annulée (Liens des mots-clés &gt; Lier les mots-clés la termine)</translation>
    </message>
    <message>
        <source>Importing the vocabulary</source>
        <translation>Import du vocabulaire</translation>
    </message>
    <message>
        <source>Import cancelled: the vocabulary was not added.</source>
        <translation>Import annulé : le vocabulaire n’a pas été ajouté.</translation>
    </message>
    <message>
        <source>Linking tags</source>
        <translation>Liaison des mots-clés</translation>
    </message>
    <message>
        <source>Linking cancelled: the tags linked so far stay linked.</source>
        <translation>Liaison annulée : les mots-clés déjà liés le restent.</translation>
    </message>
    <message>
        <source>Merge tag variants</source>
        <translation>Fusionner les variantes de mots-clés</translation>
    </message>
    <message>
        <source>Merge {variants} into {kept} ({photos} with a variant)? Every change is logged; Undo in this tab reverses the whole merge.</source>
        <translation>Fusionner {variants} dans {kept} ({photos} avec une variante) ? Chaque modification est consignée ; « Annuler » dans cet onglet défait toute la fusion.</translation>
    </message>
    <message>
        <source>Merged {groups} of tag variants (merge #{merge_id}): {moved} moved, {gone} gone. Undo in Tag variants.</source>
        <translation>{groups} de variantes fusionnés (fusion nº {merge_id}) : {moved} déplacés, {gone} supprimées. Annulation dans Variantes de mots-clés.</translation>
    </message>
    <message>
        <source>Merging tag variants</source>
        <translation>Fusion des variantes de mots-clés</translation>
    </message>
    <message>
        <source>Merge cancelled: nothing was changed.</source>
        <translation>Fusion annulée : rien n’a été modifié.</translation>
    </message>
    <message>
        <source>Undid merge #{merge_id}: {photos} with their tags back.</source>
        <translation>Fusion nº {merge_id} annulée : {photos} retrouvent leurs mots-clés.</translation>
    </message>
    <message>
        <source>Undoing the merge</source>
        <translation>Annulation de la fusion</translation>
    </message>
    <message>
        <source>The vocabulary “{name}” is in use.</source>
        <translation>Le vocabulaire « {name} » est utilisé.</translation>
    </message>
    <message>
        <source>The vocabulary “{name}” is set aside.</source>
        <translation>Le vocabulaire « {name} » est mis de côté.</translation>
    </message>
    <message>
        <source>Removed the vocabulary “{name}”; its tags stay, unlinked.</source>
        <translation>Vocabulaire « {name} » supprimé ; ses mots-clés restent, sans lien.</translation>
    </message>
    <message>
        <source>“{label}” is no longer linked to a concept.</source>
        <translation>« {label} » n’est plus lié à un concept.</translation>
    </message>
    <message>
        <source>Linked “{label}” to {label2} &lt;{uri}&gt;.</source>
        <translation>« {label} » lié à {label2} &lt;{uri}&gt;.</translation>
    </message>
    <message>
        <source>{groups} of tag variants found.</source>
        <translation>{groups} de variantes trouvés.</translation>
    </message>
    <message>
        <source>Concept {path}.</source>
        <translation>Concept {path}.</translation>
    </message>
    <message>
        <source>Showing the photos with {concept} or a narrower concept.</source>
        <translation>Photos avec {concept} ou un concept plus spécifique.</translation>
    </message>
    <message>
        <source>the concept</source>
        <translation>le concept</translation>
    </message>
</context>
<context>
    <name>VocabularyDialog</name>
    <message>
        <source>Vocabularies</source>
        <translation>Vocabulaires</translation>
    </message>
    <message>
        <source>Tag links</source>
        <translation>Liens des mots-clés</translation>
    </message>
    <message>
        <source>Tag variants</source>
        <translation>Variantes de mots-clés</translation>
    </message>
    <message>
        <source>Concepts</source>
        <translation>Concepts</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>{title}…</source>
        <translation>{title}…</translation>
    </message>
    <message>
        <source>: {done} of {total}</source>
        <translation> : {done} sur {total}</translation>
    </message>
    <message>
        <source>Cancelling: finishing the current step…</source>
        <translation>Annulation : fin de l’étape en cours…</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>Heritage Tagger catalogues (*.sqlite);;All files (*)</source>
        <translation>Catalogues Heritage Tagger (*.sqlite);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Welcome to Heritage Tagger</source>
        <translation>Bienvenue dans Heritage Tagger</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Welcome to Heritage Tagger&lt;/h2&gt;&lt;p&gt;There is no catalogue yet. A catalogue is one file that keeps your photographs&apos; records, their tags and every decision you make; pictures stay where they are.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Bienvenue dans Heritage Tagger&lt;/h2&gt;&lt;p&gt;Il n’y a pas encore de catalogue. Un catalogue est un fichier unique qui conserve les notices de vos photographies, leurs mots-clés et chacune de vos décisions ; les images restent où elles sont.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>New catalogue file</source>
        <translation>Fichier du nouveau catalogue</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <source>Change the new catalogue&apos;s file</source>
        <translation>Changer le fichier du nouveau catalogue</translation>
    </message>
    <message>
        <source>New catalogue:</source>
        <translation>Nouveau catalogue :</translation>
    </message>
    <message>
        <source>Create a new catalogue</source>
        <translation>Créer un nouveau catalogue</translation>
    </message>
    <message>
        <source>Open an existing catalogue…</source>
        <translation>Ouvrir un catalogue existant…</translation>
    </message>
    <message>
        <source>Import a folder…</source>
        <translation>Importer un dossier…</translation>
    </message>
    <message>
        <source>Create the new catalogue and import a folder of photographs into it</source>
        <translation>Créer le nouveau catalogue et y importer un dossier de photographies</translation>
    </message>
    <message>
        <source>Connect to a team catalogue…</source>
        <translation>Se connecter à un catalogue d’équipe…</translation>
    </message>
    <message>
        <source>Review a collection with your team: a catalogue on a PostgreSQL server</source>
        <translation>Réviser un fonds en équipe : un catalogue sur un serveur PostgreSQL</translation>
    </message>
    <message>
        <source>Try the demo collection</source>
        <translation>Essayer le fonds de démonstration</translation>
    </message>
    <message>
        <source>Open 40 public-domain photographs in a catalogue of their own, with tag suggestions</source>
        <translation>Ouvrir 40 photographies du domaine public dans un catalogue à part, avec des suggestions de mots-clés</translation>
    </message>
    <message>
        <source>New here? See suggestions at once: 40 public-domain photographs (US EPA DOCUMERICA and the Library of Congress) in a demo catalogue of their own. Its model learns in the background, usually within a minute; your own catalogue is not touched.</source>
        <translation>Nouveau ? Voyez des suggestions tout de suite : 40 photographies du domaine public (US EPA DOCUMERICA et la Bibliothèque du Congrès) dans un catalogue de démonstration à part. Son modèle apprend en arrière-plan, en général en moins d’une minute ; votre propre catalogue n’est pas modifié.</translation>
    </message>
    <message>
        <source>Show the models folder</source>
        <translation>Afficher le dossier des modèles</translation>
    </message>
    <message>
        <source>Backbone:</source>
        <translation>Réseau de base :</translation>
    </message>
    <message>
        <source>Runs on:</source>
        <translation>Calcul sur :</translation>
    </message>
    <message>
        <source>Suggesting tags</source>
        <translation>Suggestion de mots-clés</translation>
    </message>
    <message>
        <source>The paper&apos;s VGG16 backbone is in use.</source>
        <translation>Le réseau de base VGG16 de l’article est utilisé.</translation>
    </message>
    <message>
        <source>To use the paper&apos;s VGG16 backbone, copy torchvision&apos;s ImageNet weight file &lt;b&gt;{file}&lt;/b&gt; into the models folder:&lt;br&gt;&lt;code&gt;{folder}&lt;/code&gt;&lt;br&gt;and start the app again.</source>
        <translation>Pour utiliser le réseau de base VGG16 de l’article, copiez le fichier de poids ImageNet de torchvision &lt;b&gt;{file}&lt;/b&gt; dans le dossier des modèles :&lt;br&gt;&lt;code&gt;{folder}&lt;/code&gt;&lt;br&gt;puis relancez l’application.</translation>
    </message>
    <message>
        <source>unknown ({reason})</source>
        <translation>inconnu ({reason})</translation>
    </message>
    <message>
        <source>New catalogue</source>
        <translation>Nouveau catalogue</translation>
    </message>
    <message>
        <source>Open a catalogue</source>
        <translation>Ouvrir un catalogue</translation>
    </message>
    <message>
        <source>Import a folder of photographs</source>
        <translation>Importer un dossier de photographies</translation>
    </message>
</context>
</TS>
