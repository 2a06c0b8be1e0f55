// notfound.js — the page shown for an address that does not exist.
import { initPage } from "../ui.js";

initPage();
