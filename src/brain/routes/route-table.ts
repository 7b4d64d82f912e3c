/** The routes by name; an unknown name is an InvalidRequestError that lists them. */
import { InvalidRequestError } from "../../schema/errors.js";
import { ROUTES, type RouteName, type StepResult } from "../brain-types.js";
import type { StepRun } from "../step-run.js";
import { runCodeRoute } from "./code-route.js";
import { runCotRoute } from "./cot-route.js";
import { runRawRoute } from "./raw-route.js";
import { runReactRoute } from "./react-route.js";

const TABLE: Record<RouteName, (run: StepRun) => Promise<StepResult>> = {
  raw: runRawRoute,
  cot: runCotRoute,
  react: runReactRoute,
  code: runCodeRoute,
};

export function routeFor(route: unknown): (run: StepRun) => Promise<StepResult> {
  if (typeof route === "string" && Object.hasOwn(TABLE, route)) return TABLE[route as RouteName];
  throw new InvalidRequestError(`Unknown route ${JSON.stringify(route)}. Routes: ${ROUTES.join(", ")}.`);
}
