/*
 * One WAI-ARIA tablist per translated field of an admin form, and a named switch that
 * shows every field in one language. modeltranslation marks each language's widget
 * with the class "mt-field-<field>-<language>"; without this script each language
 * stays a labelled field of its own ("Title [fr]"), so nothing depends on it.
 *
 * Keyboard: Tab reaches the selected tab, the arrow keys (mirrored right to left),
 * Home and End move between languages, as in the WAI-ARIA tabs pattern with automatic
 * activation. A tab whose field is empty carries a visible "missing" badge.
 */
"use strict";
{
    const PREFIX = "mt-field-";
    const strings = document.getElementById("translation-tab-strings")?.dataset || {};
    const documentLanguage = document.documentElement.lang || "en";
    const rtl = document.documentElement.dir === "rtl";
    const groups = [];

    function languageName(code) {
        try {
            const name = new Intl.DisplayNames([documentLanguage], {type: "language"}).of(code);
            return name.charAt(0).toLocaleUpperCase(documentLanguage) + name.slice(1);
        } catch (error) {
            return code;
        }
    }

    function languageOf(widget) {
        for (const cls of widget.classList) {
            if (cls.startsWith(PREFIX)) {
                return cls.slice(cls.lastIndexOf("-") + 1);
            }
        }
        return null;
    }

    function isEmpty(widget) {
        return !widget.value || !widget.value.trim();
    }

    // Widgets of the same field, in document order, keyed by their id without the
    // language: "id_title" for id_title_en, id_title_fr...; "id_sections-0-heading" in
    // a stacked inline.
    function collect(root) {
        const found = new Map();
        root.querySelectorAll("input.mt, textarea.mt, select.mt").forEach((widget) => {
            const language = languageOf(widget);
            if (!language || !widget.id || widget.closest(".tabular, .empty-form, .translation-tabs")) {
                return;
            }
            const key = widget.id.slice(0, -(language.length + 1));
            if (!found.has(key)) {
                found.set(key, []);
            }
            found.get(key).push({language, widget, row: widget.closest(".form-row")});
        });
        return found;
    }

    function select(group, index, {focus = false} = {}) {
        group.tabs.forEach((tab, n) => {
            const selected = n === index;
            tab.setAttribute("aria-selected", String(selected));
            tab.tabIndex = selected ? 0 : -1;
            group.panels[n].hidden = !selected;
        });
        if (focus) {
            group.tabs[index].focus();
        }
    }

    function build(key, members) {
        const first = members[0].row;
        if (!first || members.some((member) => !member.row)) {
            return;
        }
        const label = first.querySelector("label");
        const fieldName = label ? label.textContent.replace(/\s*\[[^\]]+\]\s*:?\s*$/, "") : key;
        const container = document.createElement("div");
        container.className = "translation-tabs";
        const tablist = document.createElement("div");
        tablist.setAttribute("role", "tablist");
        tablist.setAttribute("aria-label", (strings.tablist || "{field}").replace("{field}", fieldName));
        container.append(tablist);
        first.before(container);
        const group = {tabs: [], panels: [], languages: []};
        members.forEach(({language, widget, row}, n) => {
            const tab = document.createElement("button");
            tab.type = "button";
            tab.id = `tab-${widget.id}`;
            tab.setAttribute("role", "tab");
            tab.setAttribute("aria-controls", `panel-${widget.id}`);
            tab.textContent = languageName(language);
            const badge = document.createElement("span");
            badge.className = "translation-missing";
            badge.textContent = strings.missing || "missing";
            tab.append(" ", badge);
            const refresh = () => { badge.hidden = !isEmpty(widget); };
            widget.addEventListener("input", refresh);
            widget.addEventListener("change", refresh);
            refresh();
            const panel = document.createElement("div");
            panel.id = `panel-${widget.id}`;
            panel.setAttribute("role", "tabpanel");
            panel.setAttribute("aria-labelledby", tab.id);
            panel.append(row);
            tablist.append(tab);
            container.append(panel);
            tab.addEventListener("click", () => select(group, n));
            group.tabs.push(tab);
            group.panels.push(panel);
            group.languages.push(language);
        });
        tablist.addEventListener("keydown", (event) => {
            const current = group.tabs.indexOf(document.activeElement);
            const last = group.tabs.length - 1;
            const next = {ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1}[event.key];
            let index = null;
            if (next !== undefined) {
                index = (current + next + group.tabs.length) % group.tabs.length;
            } else if (event.key === "Home") {
                index = 0;
            } else if (event.key === "End") {
                index = last;
            }
            if (index !== null) {
                event.preventDefault();
                select(group, index, {focus: true});
            }
        });
        // A field with an error opens on it; otherwise on the language of the page.
        let start = members.findIndex(({row}) => row.classList.contains("errors"));
        if (start < 0) {
            start = Math.max(0, group.languages.indexOf(documentLanguage));
        }
        select(group, start);
        groups.push(group);
    }

    function addSwitch() {
        const languages = [...new Set(groups.flatMap((group) => group.languages))];
        const heading = document.querySelector("#content > h1");
        if (!languages.length || !heading) {
            return;
        }
        const wrapper = document.createElement("p");
        wrapper.className = "translation-switch";
        const label = document.createElement("label");
        label.htmlFor = "translation-switch";
        label.textContent = strings.switch || "Language";
        const switcher = document.createElement("select");
        switcher.id = "translation-switch";
        switcher.append(new Option("—", ""));
        languages.forEach((language) => switcher.append(new Option(languageName(language), language)));
        switcher.addEventListener("change", () => {
            groups.forEach((group) => {
                const index = group.languages.indexOf(switcher.value);
                if (index >= 0) {
                    select(group, index);
                }
            });
        });
        wrapper.append(label, " ", switcher);
        heading.after(wrapper);
    }

    function enhance(root) {
        collect(root).forEach((members, key) => build(key, members));
    }

    document.addEventListener("DOMContentLoaded", () => {
        if (!document.body.classList.contains("change-form")) {
            return;
        }
        enhance(document);
        addSwitch();
    });
    // A stacked inline's "Add another" row is a copy of the empty form.
    document.addEventListener("formset:added", (event) => enhance(event.target));
}
