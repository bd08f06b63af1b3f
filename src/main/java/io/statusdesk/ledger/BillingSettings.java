package io.statusdesk.ledger;

import io.statusdesk.tenant.Plans;
import java.time.Duration;

/**
 * How tenants are billed and when months are settled.
 *
 * @param plans plan prices that tenants' fees come from
 * @param closeGrace how long after a month ends it is closed automatically
 */
public record BillingSettings(Plans plans, Duration closeGrace) {}
