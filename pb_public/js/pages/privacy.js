// privacy.js — what the portal keeps about residents, why and for how long.
import { initPage } from "../ui.js";

initPage();
