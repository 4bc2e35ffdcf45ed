"""Scheduled jobs and housekeeping purges of the technicians app (`@job`, `@purge` from erp_mif.core.jobs): none yet."""
