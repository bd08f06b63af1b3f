package io.statusdesk.probe;

/**
 * What the service currently knows of one cell, for the API and the status snapshot.
 *
 * @param cell the cell
 * @param health its damped health
 * @param last its latest result, or null before the first probe
 */
public record CheckStatus(Cell cell, CheckHealth health, ProbeResult last) {}
