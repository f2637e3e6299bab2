/** Which EQL the parser reads, as messages name it: Elasticsearch's, not Endgame's (refused by name). */
export const EQL_DIALECT = "Elasticsearch EQL";
