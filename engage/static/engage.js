// GOV.UK Frontend components; no inline script so the CSP stays strict.
import { initAll } from "./build/govuk-frontend.min.js";

initAll();
