/*
 * Names for the widgets Django's admin builds in the browser, which it leaves unnamed:
 * the search icons of the two-list picker (filter_horizontal) carry an aria-label on a
 * plain <span>, which means nothing without a role; the box of an autocomplete
 * (select2) is named by the chosen value, so it has no name while empty.
 */
"use strict";
{
    function nameSearchIcons(root) {
        root.querySelectorAll("span.search-label-icon[aria-label]").forEach((icon) => {
            icon.setAttribute("role", "img");
        });
    }

    function nameAutocompletes(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
            const box = select.parentElement.querySelector(".select2-selection");
            if (!box) {
                return;
            }
            const label = select.labels[0]?.textContent.replace(/:\s*$/, "").trim()
                || select.getAttribute("aria-label");
            if (label) {
                box.setAttribute("aria-label", label);
                // select2 names the box after its value; keep the field's name first.
                box.removeAttribute("aria-labelledby");
                const rendered = box.querySelector(".select2-selection__rendered");
                if (rendered) {
                    rendered.setAttribute("aria-label", label);
                }
            }
        });
    }

    function nameAll() {
        nameSearchIcons(document);
        nameAutocompletes(document);
    }

    // Both widgets are built after the page has loaded (SelectFilter2 on "load",
    // select2 on "DOMContentLoaded" and for every inline row added).
    window.addEventListener("load", () => setTimeout(nameAll, 0));
    document.addEventListener("formset:added", () => setTimeout(nameAll, 0));
}
