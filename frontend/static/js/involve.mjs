// Start GOV.UK Frontend's components. Loaded as a module so old browsers get the no-JS page.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
