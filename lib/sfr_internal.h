/* SPDX-License-Identifier: Apache-2.0 */
/* sfr_internal.h - between the report model (sfr.c) and its CoRIM codec
 * (sfr_corim.c).  Not installed. */
#ifndef FWT_SFR_INTERNAL_H
#define FWT_SFR_INTERNAL_H

#include <fwtrail/corim.h>
#include <fwtrail/sfr.h>

/* The report in c, a CoRIM decoded by fwt_corim_parse from buf (the signed
 * or unsigned bytes): the profile, the CoMID's shape and the SFR map. */
fwt_err fwt__sfr_from_corim(fwt_ctx *ctx, const fwt_corim *c, const void *buf, size_t len, fwt_sfr **out);

/* 1 when c's profile is the OCP SAFE SFR profile (any of the OIDs read):
 * a review, never reference values. */
int fwt__sfr_corim_profile(const fwt_corim *c);

/* FWT_OK when len bytes (a report written) are at most FWT_SFR_MAX_SIZE,
 * the most a reader takes; else *(void **)out is freed and set to NULL, and
 * FWT_EFORMAT says so. */
fwt_err fwt__sfr_size_check(fwt_ctx *ctx, void *out, size_t len);

/* Record that the CoRIM read into s held path (a key the profile does
 * not define when unknown is set, else a value the model has no place
 * for): fwt_sfr_json_losses and fwt_sfr_corim_losses name it, lint warns of
 * an unknown one.  0, or -1 out of memory. */
int fwt__sfr_unkept(fwt_sfr *s, const char *path, int unknown);

#endif
