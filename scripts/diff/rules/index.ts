/**
 * Every diff rule, by id. A rule id is stable: it is what reports, CI logs and changelogs show.
 * Each rule lives in `<id>.ts` with its table of cases.
 */
import type { Rule } from "../types.ts";
import { rule as cannotProveCompatible } from "./cannot-prove-compatible.ts";
import { rule as documentationChanged } from "./documentation-changed.ts";
import { rule as enumMeaningChanged } from "./enum-meaning-changed.ts";
import { rule as errorCodeAdded } from "./error-code-added.ts";
import { rule as errorCodeRemoved } from "./error-code-removed.ts";
import { rule as errorCodeRenamed } from "./error-code-renamed.ts";
import { rule as errorResponseRemoved } from "./error-response-removed.ts";
import { rule as fieldMeaningChanged } from "./field-meaning-changed.ts";
import { rule as headerFormatChanged } from "./header-format-changed.ts";
import { rule as markedDeprecated } from "./marked-deprecated.ts";
import { rule as operationAdded } from "./operation-added.ts";
import { rule as operationRemoved } from "./operation-removed.ts";
import { rule as operationRenamed } from "./operation-renamed.ts";
import { rule as optionalParameterAdded } from "./optional-parameter-added.ts";
import { rule as optionalRequestPropertyAdded } from "./optional-request-property-added.ts";
import { rule as paginationCursorChanged } from "./pagination-cursor-changed.ts";
import { rule as paginationLimitChanged } from "./pagination-limit-changed.ts";
import { rule as paginationNextCursorChanged } from "./pagination-next-cursor-changed.ts";
import { rule as parameterMadeOptional } from "./parameter-made-optional.ts";
import { rule as parameterMadeRequired } from "./parameter-made-required.ts";
import { rule as parameterRemoved } from "./parameter-removed.ts";
import { rule as parameterRenamed } from "./parameter-renamed.ts";
import { rule as requestAdditionalPropertiesDisallowed } from "./request-additional-properties-disallowed.ts";
import { rule as requestBodyMadeRequired } from "./request-body-made-required.ts";
import { rule as requestConstraintAdded } from "./request-constraint-added.ts";
import { rule as requestDefaultChanged } from "./request-default-changed.ts";
import { rule as requestEnumAdded } from "./request-enum-added.ts";
import { rule as requestEnumValueAdded } from "./request-enum-value-added.ts";
import { rule as requestEnumValueRemoved } from "./request-enum-value-removed.ts";
import { rule as requestFormatChanged } from "./request-format-changed.ts";
import { rule as requestMaxDecreased } from "./request-max-decreased.ts";
import { rule as requestMediaTypeAdded } from "./request-media-type-added.ts";
import { rule as requestMediaTypeRemoved } from "./request-media-type-removed.ts";
import { rule as requestMinIncreased } from "./request-min-increased.ts";
import { rule as requestNullDisallowed } from "./request-null-disallowed.ts";
import { rule as requestPatternChanged } from "./request-pattern-changed.ts";
import { rule as requestPropertyMadeOptional } from "./request-property-made-optional.ts";
import { rule as requestPropertyMadeRequired } from "./request-property-made-required.ts";
import { rule as requestPropertyRemoved } from "./request-property-removed.ts";
import { rule as requestPropertyRenamed } from "./request-property-renamed.ts";
import { rule as requestTypeNarrowed } from "./request-type-narrowed.ts";
import { rule as requestTypeWidened } from "./request-type-widened.ts";
import { rule as requestValidationRelaxed } from "./request-validation-relaxed.ts";
import { rule as requiredParameterAdded } from "./required-parameter-added.ts";
import { rule as requiredRequestPropertyAdded } from "./required-request-property-added.ts";
import { rule as responseAdded } from "./response-added.ts";
import { rule as responseConstraintChanged } from "./response-constraint-changed.ts";
import { rule as responseConstraintRelaxed } from "./response-constraint-relaxed.ts";
import { rule as responseEnumValueAdded } from "./response-enum-value-added.ts";
import { rule as responseEnumValueRemoved } from "./response-enum-value-removed.ts";
import { rule as responseFormatChanged } from "./response-format-changed.ts";
import { rule as responseHeaderAdded } from "./response-header-added.ts";
import { rule as responseHeaderMadeOptional } from "./response-header-made-optional.ts";
import { rule as responseHeaderRemoved } from "./response-header-removed.ts";
import { rule as responseHeaderRenamed } from "./response-header-renamed.ts";
import { rule as responseMediaTypeAdded } from "./response-media-type-added.ts";
import { rule as responseMediaTypeRemoved } from "./response-media-type-removed.ts";
import { rule as responsePropertyAdded } from "./response-property-added.ts";
import { rule as responsePropertyMadeNullable } from "./response-property-made-nullable.ts";
import { rule as responsePropertyMadeOptional } from "./response-property-made-optional.ts";
import { rule as responsePropertyMadeRequired } from "./response-property-made-required.ts";
import { rule as responsePropertyRemoved } from "./response-property-removed.ts";
import { rule as responsePropertyRenamed } from "./response-property-renamed.ts";
import { rule as responseTypeChanged } from "./response-type-changed.ts";
import { rule as responseTypeNarrowed } from "./response-type-narrowed.ts";
import { rule as responseVariantAdded } from "./response-variant-added.ts";
import { rule as responseVariantRemoved } from "./response-variant-removed.ts";
import { rule as securityRelaxed } from "./security-relaxed.ts";
import { rule as securityTightened } from "./security-tightened.ts";
import { rule as successResponseRemoved } from "./success-response-removed.ts";
import { rule as webhookAdded } from "./webhook-added.ts";
import { rule as webhookRemoved } from "./webhook-removed.ts";
import { rule as webhookRenamed } from "./webhook-renamed.ts";
import { rule as webhookSignatureChanged } from "./webhook-signature-changed.ts";

export const rules: readonly Rule[] = [
  operationRemoved,
  operationRenamed,
  operationAdded,
  markedDeprecated,
  securityTightened,
  securityRelaxed,
  parameterRemoved,
  parameterRenamed,
  requiredParameterAdded,
  optionalParameterAdded,
  parameterMadeRequired,
  parameterMadeOptional,
  requestBodyMadeRequired,
  requestMediaTypeRemoved,
  requestMediaTypeAdded,
  requestPropertyRemoved,
  requestPropertyRenamed,
  requiredRequestPropertyAdded,
  optionalRequestPropertyAdded,
  requestPropertyMadeRequired,
  requestPropertyMadeOptional,
  requestMaxDecreased,
  requestMinIncreased,
  requestPatternChanged,
  requestFormatChanged,
  requestEnumAdded,
  requestEnumValueRemoved,
  requestEnumValueAdded,
  requestNullDisallowed,
  requestTypeNarrowed,
  requestTypeWidened,
  requestAdditionalPropertiesDisallowed,
  requestDefaultChanged,
  requestConstraintAdded,
  requestValidationRelaxed,
  responsePropertyRemoved,
  responsePropertyRenamed,
  responsePropertyAdded,
  responsePropertyMadeOptional,
  responsePropertyMadeRequired,
  responsePropertyMadeNullable,
  responseTypeChanged,
  responseTypeNarrowed,
  responseFormatChanged,
  responseEnumValueAdded,
  responseEnumValueRemoved,
  responseConstraintChanged,
  responseConstraintRelaxed,
  responseVariantAdded,
  responseVariantRemoved,
  successResponseRemoved,
  errorResponseRemoved,
  responseAdded,
  responseMediaTypeRemoved,
  responseMediaTypeAdded,
  responseHeaderRemoved,
  responseHeaderRenamed,
  responseHeaderAdded,
  responseHeaderMadeOptional,
  headerFormatChanged,
  errorCodeRemoved,
  errorCodeRenamed,
  errorCodeAdded,
  enumMeaningChanged,
  fieldMeaningChanged,
  webhookRemoved,
  webhookRenamed,
  webhookAdded,
  webhookSignatureChanged,
  paginationCursorChanged,
  paginationLimitChanged,
  paginationNextCursorChanged,
  documentationChanged,
  cannotProveCompatible,
];

const byId = new Map(rules.map((r) => [r.id, r]));

export function ruleById(id: string): Rule {
  const rule = byId.get(id);
  if (rule === undefined) throw new Error(`unknown diff rule "${id}"`);
  return rule;
}
