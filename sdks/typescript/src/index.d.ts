import type { Client, ClientOptions } from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };
/** The API's schemas by name, e.g. `Schemas["WebhookRequest"]`. */
export type Schemas = components["schemas"];
export type HookrelayClient = Client<paths>;

export interface HookrelayOptions extends Omit<ClientOptions, "baseUrl"> {
  /** Where hookrelay answers, without `/v1`: `http://127.0.0.1:3000` for the local runner. */
  baseUrl: string;
  /** An account API key (or a console link's token), sent as `Authorization: Bearer`. */
  apiKey: string;
}

/** A typed client for hookrelay's API that authenticates every request with `apiKey`. */
export declare function createHookrelayClient(options: HookrelayOptions): HookrelayClient;

export { Webhook, WebhookVerificationError } from "standardwebhooks";

/**
 * Checks a delivery's signature (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) against the webhook's secret and answers the parsed
 * body; throws WebhookVerificationError when it does not match or is stale.
 */
export declare function verify(
  secret: string,
  body: string | Buffer,
  headers: Headers | Record<string, string | string[] | undefined>,
): unknown;
