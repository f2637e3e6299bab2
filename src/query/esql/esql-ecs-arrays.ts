/**
 * ECS fields that hold arrays (`normalize: array` in the ECS field reference, 8.x), plus the
 * Endpoint integration's `process.Ext.ancestry`. ES|QL tests one value of a field and is NULL on
 * several, so tests of these are written (and read) with that in view. Other fields are taken to
 * hold one value per event, as their ECS definitions say.
 */
import { ECS_NUMERIC_TYPES, ecsFieldType } from "../ecs-field-types.js";

const ARRAY_FIELDS: ReadonlySet<string> = new Set([
  "event.category", "event.type", "tags", "process.args", "process.parent.args", "process.env_vars",
  "process.Ext.ancestry", "host.ip", "host.mac", "observer.ip", "observer.mac", "related.hash", "related.hosts",
  "related.ip", "related.user", "dns.header_flags", "dns.resolved_ip", "file.attributes", "registry.data.strings",
  "user.roles", "user.changes.roles", "user.effective.roles", "user.target.roles", "vulnerability.category",
  "email.to.address", "email.cc.address", "email.bcc.address", "email.from.address", "email.reply_to.address",
  "container.image.tag", "threat.tactic.id", "threat.tactic.name", "threat.tactic.reference", "threat.technique.id",
  "threat.technique.name", "threat.technique.reference", "threat.technique.subtechnique.id",
  "threat.technique.subtechnique.name", "threat.technique.subtechnique.reference", "tls.client.supported_ciphers",
  "tls.client.certificate_chain", "tls.server.certificate_chain", "network.inner.vlan.id", "network.inner.vlan.name",
]);

/** x509 name parts are arrays wherever the x509 field set is nested (`tls.server.x509.subject.common_name`). */
const X509_ARRAY = /(^|\.)x509\.(alternative_names|issuer\.(common_name|country|distinguished_name|locality|organization|organizational_unit|state_or_province)|subject\.(common_name|country|locality|organization|organizational_unit|state_or_province))$/;

export function isEcsArrayField(field: string): boolean {
  return ARRAY_FIELDS.has(field) || X509_ARRAY.test(field);
}

/**
 * What the ES|QL printer is told of an ECS field's mapping: numbers, booleans and ip addresses,
 * so that a typed literal is compared as its type (`process.pid == 3`, not `TO_STRING(process.pid)
 * == "3"`, which misses a float field's 3, printed "3.0"). String, text and date fields are left
 * unknown: the printer's untyped forms compare them as ES|QL casts a string literal.
 */
export function ecsEsqlFieldType(field: string): "number" | "boolean" | "ip" | undefined {
  const t = ecsFieldType(field);
  if (t === undefined) return undefined;
  if (ECS_NUMERIC_TYPES.has(t)) return "number";
  return t === "boolean" || t === "ip" ? t : undefined;
}
