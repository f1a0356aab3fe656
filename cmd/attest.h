/* SPDX-License-Identifier: Apache-2.0 */
/* attest.h - what cmd/attest.c shares with cmd/attest_print.c. */
#ifndef FWT_ATTEST_H
#define FWT_ATTEST_H

#include <jansson.h>
#include <fwtrail/fwtrail.h>

/* Print an appraisal record (fwt_appraise_run_lazy's, its components made
 * one at a time from a) as text on stdout: one table line per component,
 * then what did not verify, rejected reviews, evidence that measures
 * nothing, conflicts, unverifiable references, the local log's TPM
 * comparison, and the "ok"/"NOT OK" summary line.  Strings from the inputs
 * are escaped (cli_puts_safe).  Returns err, or the failure to make a
 * component (the output then stops short of the summary line). */
fwt_err attest_print_record(const json_t *rec, const fwt_appraise *a, fwt_err err);

#endif
