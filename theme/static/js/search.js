// The search page: Pagefind's engine (loaded from the site's own /pagefind/)
// behind the page's own form, results drawn as the same story cards the
// section pages use. The address keeps the search (?q=, ?section=, ?author=,
// ?year=), so a search can be shared and the back button returns to the last
// one. Without this script the page still works: see search.html.

const PAGE_SIZE = 10;
const FILTERS = ["section", "author", "year"];
const TYPING_PAUSE_MS = 300;

const page = document.querySelector("[data-search]");
if (page) {
  start(page);
}

async function start(page) {
  const form = page.querySelector("[data-search-form]");
  const input = form.querySelector('input[type="search"]');
  const filterBox = form.querySelector("[data-search-filters]");
  const selects = Object.fromEntries(
    [...filterBox.querySelectorAll("select[data-filter]")].map((select) => [select.dataset.filter, select]),
  );
  const notice = page.querySelector("[data-search-notice]");
  const status = page.querySelector("[data-search-status]");
  const list = page.querySelector("[data-search-results]");
  const more = page.querySelector("[data-search-more]");
  const siteRoot = new URL(page.dataset.siteRoot, document.baseURI);

  let pagefind;
  try {
    if (!page.dataset.bundle) {
      throw new Error("this build has no search index");
    }
    pagefind = await import(new URL(page.dataset.bundle, document.baseURI).href);
    await pagefind.init();
    // A large archive's index is written in parts; the engine searches them as one.
    for (const folder of (page.dataset.moreBundles || "").split(" ").filter(Boolean)) {
      await pagefind.mergeIndex(new URL(folder, document.baseURI).pathname);
    }
  } catch {
    notice.textContent = page.dataset.missing;
    return;
  }

  notice.hidden = true;
  form.hidden = false;
  filterBox.hidden = false;
  // The script answers the form itself: a search needs no words when a filter is chosen.
  input.required = false;
  await fillFilters(pagefind, selects);

  let shown = [];
  let searchNumber = 0;

  async function run() {
    const number = ++searchNumber;
    const query = input.value.trim();
    const filters = chosenFilters(selects);
    list.replaceChildren();
    list.setAttribute("aria-busy", "true");
    more.hidden = true;
    if (!query && Object.keys(filters).length === 0) {
      status.textContent = "";
      list.setAttribute("aria-busy", "false");
      return;
    }
    // Without words, the stories that match the filters, newest first.
    const search = query
      ? await pagefind.search(query, { filters })
      : await pagefind.search(null, { filters, sort: { date: "desc" } });
    if (number !== searchNumber || search === null) {
      return; // a newer search has started
    }
    shown = search.results;
    status.textContent = describe(shown.length, query, filters);
    await showNext(number);
  }

  async function showNext(number) {
    const start = list.children.length;
    const batch = await Promise.all(shown.slice(start, start + PAGE_SIZE).map((result) => result.data()));
    if (number !== searchNumber) {
      return;
    }
    list.append(...batch.map((record) => card(record, siteRoot)));
    list.setAttribute("aria-busy", "false");
    more.hidden = list.children.length >= shown.length;
  }

  function readAddress() {
    const params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    for (const name of FILTERS) {
      const wanted = params.get(name) || "";
      const known = [...selects[name].options].some((option) => option.value === wanted);
      selects[name].value = known ? wanted : "";
    }
  }

  function writeAddress(addToHistory) {
    const params = new URLSearchParams();
    if (input.value.trim()) {
      params.set("q", input.value.trim());
    }
    for (const [name, value] of Object.entries(chosenFilters(selects))) {
      params.set(name, value);
    }
    const address = `${window.location.pathname}${params.size ? `?${params}` : ""}`;
    if (addToHistory) {
      window.history.pushState(null, "", address);
    } else {
      window.history.replaceState(null, "", address);
    }
  }

  let typing;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    writeAddress(true);
    run();
  });
  input.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      writeAddress(false);
      run();
    }, TYPING_PAUSE_MS);
  });
  for (const select of Object.values(selects)) {
    select.addEventListener("change", () => {
      writeAddress(true);
      run();
    });
  }
  more.addEventListener("click", () => {
    const first = list.children.length;
    showNext(searchNumber).then(() => list.children[first]?.querySelector("h2 a")?.focus());
  });
  window.addEventListener("popstate", () => {
    readAddress();
    run();
  });

  // Filters become usable only now that the script answers the form and the filters: a search
  // started any earlier would be sent to the server as a plain form and reload the page.
  filterBox.disabled = false;
  readAddress();
  run();
}

async function fillFilters(pagefind, selects) {
  const available = await pagefind.filters();
  for (const [name, select] of Object.entries(selects)) {
    const values = Object.keys(available[name] || {});
    values.sort(name === "year" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b));
    select.append(...values.map((value) => new Option(value, value)));
  }
}

function chosenFilters(selects) {
  const chosen = {};
  for (const [name, select] of Object.entries(selects)) {
    if (select.value) {
      chosen[name] = select.value;
    }
  }
  return chosen;
}

function describe(count, query, filters) {
  const what = count === 1 ? "1 story" : `${count} stories`;
  const narrowed = Object.values(filters);
  const words = query ? ` for “${query}”` : "";
  const within = narrowed.length ? ` in ${narrowed.join(", ")}` : "";
  if (count === 0) {
    return `No stories${words}${within}. Try other words, fewer filters, or browse below.`;
  }
  return `${what}${words}${within}.`;
}

// One result as the section pages' story card (theme/templates/partials/story_card.html).
function card(record, siteRoot) {
  const meta = record.meta;
  const item = element("li");
  const story = element("article", "story-card");
  if (meta.hero) {
    const thumbnail = element("img", "search-thumb");
    thumbnail.src = new URL(meta.hero, siteRoot).href;
    thumbnail.alt = "";
    if (meta.hero_width && meta.hero_height) {
      thumbnail.width = Number(meta.hero_width);
      thumbnail.height = Number(meta.hero_height);
    }
    thumbnail.loading = "lazy";
    thumbnail.decoding = "async";
    story.append(thumbnail);
  }
  if (meta.section) {
    const kicker = element("p", "kicker");
    kicker.append(link(meta.section, new URL(meta.section_url || "", siteRoot).href));
    story.append(kicker);
  }
  const title = element("h2", "story-card-title");
  title.append(link(meta.title, record.url));
  story.append(title);
  if (meta.dek) {
    story.append(element("p", "dek", meta.dek));
  }
  if (record.excerpt) {
    story.append(excerpt(record.excerpt));
  }
  const byline = element("p", "story-card-meta", meta.authors ? `${meta.authors} · ` : "");
  if (meta.date) {
    const time = element("time", "", meta.date_text || meta.date);
    time.dateTime = meta.date;
    byline.append(time);
  }
  story.append(byline);
  item.append(story);
  return item;
}

// Pagefind's excerpt is text with the matched words in <mark>; nothing else in it is kept as markup.
function excerpt(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html").body;
  const paragraph = element("p", "search-excerpt");
  for (const node of parsed.childNodes) {
    paragraph.append(node.nodeName === "MARK" ? element("mark", "", node.textContent) : node.textContent);
  }
  return paragraph;
}

function link(text, href) {
  const anchor = element("a", "", text);
  anchor.href = href;
  return anchor;
}

function element(name, className = "", text = "") {
  const made = document.createElement(name);
  if (className) {
    made.className = className;
  }
  if (text) {
    made.textContent = text;
  }
  return made;
}
