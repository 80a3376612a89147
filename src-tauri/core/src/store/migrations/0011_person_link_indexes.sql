-- A person's page lists the applications they lead as principal investigator and the agreements they
-- signed for a party: both lists filter on these columns.
CREATE INDEX application_pi ON application (pi_id) WHERE deleted = 0;
CREATE INDEX agreement_party_signatory ON agreement_party (signatory_id, agreement_id)
    WHERE signatory_id IS NOT NULL;
