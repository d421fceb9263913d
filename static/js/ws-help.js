// The worksheet's help prompt: shown at once from what the person entered, before and without the engine,
// and also whenever the engine's answer says crisis contacts come first.

import { needsHelpPrompt } from "./entry.js";

const $ = (id) => document.getElementById(id);

export function setUpHelpPrompt(ctx) {
  let engineCrisis = false;

  function render() {
    const slot = $("help-prompt");
    const show = needsHelpPrompt(ctx.ws.entry) || engineCrisis;
    if (show && !slot.firstElementChild) slot.append($("help-prompt-content").content.cloneNode(true));
    else if (!show && slot.firstElementChild) slot.replaceChildren();
  }

  /** The engine's latest answer (null when there is nothing to ask about). */
  function fromEngine(result) {
    engineCrisis = Boolean(result?.crisis_first);
    render();
  }

  return { render, fromEngine };
}
