package io.statusdesk.notify;

/** An address that receives a tenant's statements and SLA notices, in its language. */
public record TenantContact(String address, String lang) {}
