"""Scheduled jobs and housekeeping purges of the clients app (`@job`, `@purge` from erp_mif.core.jobs): none yet."""
