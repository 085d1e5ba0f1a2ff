// What every page of reindus needs in the browser, loaded once by app_pages/accessibility.py:
// - Streamlit's own widgets in French. Streamlit has no translation setting, so the few English words its
//   widgets write (table toolbar, list boxes, skip link, chart menus) are replaced where they appear, in the
//   page's text and in the labels screen readers read (tests/browser/test_page_audits.py);
// - the « Copier le lien » buttons (app_pages/fiche.py): a button carrying data-reindus-copy copies that address.
(() => {
  if (window.reindusPage) return;
  window.reindusPage = true;

  const EXACT = {
    "Skip to main content": "Aller au contenu principal",
    "Link to heading": "Lien vers ce titre",
    "Choose an option": "Choisir",
    "Choose options": "Choisir",
    "Choose or add an option": "Choisir ou ajouter",
    "Clear all": "Tout effacer",
    "Select all": "Tout sélectionner",
    "No results": "Aucun résultat",
    "No options": "Aucun choix",
    "Search": "Rechercher",
    "Type to search": "Tapez pour rechercher",
    "Clear search": "Effacer la recherche",
    "Download as CSV": "Télécharger en CSV",
    "Download as PNG": "Télécharger en PNG",
    "Download as SVG": "Télécharger en SVG",
    "Show data": "Voir les données",
    "Copy Vega-Lite spec": "Copier la définition du graphique",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Exit fullscreen": "Quitter le plein écran",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Sort ascending": "Tri croissant",
    "Sort descending": "Tri décroissant",
    "Pin column": "Figer la colonne",
    "Unpin column": "Libérer la colonne",
    "Hide column": "Masquer la colonne",
    "Autosize": "Largeur automatique",
    "Format": "Format",
    "Copy to clipboard": "Copier",
    "Copied": "Copié",
    "Zoom in": "Zoomer",
    "Zoom out": "Dézoomer",
    "Running...": "Calcul en cours…",
    "Stop": "Arrêter",
    "Close": "Fermer",
    "Main menu": "Menu",
    "Rerun": "Relancer",
    "Print": "Imprimer",
    "Settings": "Réglages",
    "About": "À propos",
    "Clear caches": "Vider les caches",
    "Collapse sidebar": "Replier le menu latéral",
    "Expand sidebar": "Déplier le menu latéral",
    "App pages": "Pages de l'application",
    "Sidebar": "Menu latéral",
    "Selected values": "Valeurs choisies",
    "Open": "Ouvrir",
    "Vega visualization": "Graphique",
    // The map's frame is titled by its component's name (app_pages/map_component.py): screen readers say the title.
    "app_pages.map_component.carte": "Carte interactive",
  };
  const PATTERNS = [
    [/^Remove (.+)$/, "Retirer $1"],
    [/^Fullscreen: (.+)$/, "Plein écran : $1"],
    [/^Download (.+)$/, "Télécharger $1"],
    [/^(\d+) results?$/, (_, n) => (n === "1" ? "1 résultat" : `${n} résultats`)],
    [/^[XY]-axis .*$/, (text) => (text[0] === "X" ? "Axe horizontal" : "Axe vertical")],
    [/^Press Enter to (.+)$/, "Entrée pour valider"],
    [/^Help for (.+)$/, "Aide : $1"],
  ];
  const ATTRIBUTES = ["aria-label", "title", "placeholder"];

  const french = (text) => {
    const trimmed = text.trim();
    if (!trimmed) return null;
    if (Object.hasOwn(EXACT, trimmed)) return text.replace(trimmed, EXACT[trimmed]);
    for (const [pattern, replacement] of PATTERNS) {
      if (pattern.test(trimmed)) return text.replace(trimmed, trimmed.replace(pattern, replacement));
    }
    return null;
  };

  const translateElement = (element) => {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      const changed = value && french(value);
      if (changed && changed !== value) element.setAttribute(name, changed);
    }
  };

  const translate = (root) => {
    if (root.nodeType === Node.TEXT_NODE) {
      const changed = french(root.nodeValue);
      if (changed && changed !== root.nodeValue) root.nodeValue = changed;
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    translateElement(root);
    const texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      const changed = french(node.nodeValue);
      if (changed && changed !== node.nodeValue) node.nodeValue = changed;
    }
    root.querySelectorAll("[aria-label],[title],[placeholder]").forEach(translateElement);
  };

  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === "childList") mutation.addedNodes.forEach(translate);
      else translate(mutation.target);
    }
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-reindus-copy]");
    if (!button) return;
    const address = button.getAttribute("data-reindus-copy");
    const done = () => {
      button.textContent = "Lien copié";
      window.setTimeout(() => { button.textContent = "Copier le lien"; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(address).then(done, () => window.prompt("Copiez ce lien :", address));
    } else {
      window.prompt("Copiez ce lien :", address);
    }
  });

  translate(document.body);
  observer.observe(document.body, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ATTRIBUTES,
  });
})();
