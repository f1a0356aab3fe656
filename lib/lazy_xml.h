/* SPDX-License-Identifier: Apache-2.0 */
/* lazy_xml.h - libxml2 and xmlsec (OpenSSL backend), loaded on first use. */
#ifndef FWT_LAZY_XML_H
#define FWT_LAZY_XML_H

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/io.h>
#include <xmlsec/keys.h>
#include <xmlsec/nodeset.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/openssl/evp.h>
#include <fwtrail/ctx.h>

/* What lib/ uses of libxml2 and xmlsec, as pointers that fwt__lazy_xml_load()
 * fills (data as pointers to it).  The library is not linked, so that
 * commands that never need it do not pay for loading it: a call added in
 * lib/ without its line here fails to link.  Include this header after
 * the library's own. */
#define FWT_LAZY_XML_FUNCS(X) \
	X(__xmlGenericError) \
	X(__xmlGenericErrorContext) \
	X(__xmlStructuredError) \
	X(__xmlStructuredErrorContext) \
	X(xmlAddID) \
	X(xmlCreateMemoryParserCtxt) \
	X(xmlCtxtUseOptions) \
	X(xmlDocGetRootElement) \
	X(xmlFree) \
	X(xmlFreeDoc) \
	X(xmlFreeParserCtxt) \
	X(xmlGetID) \
	X(xmlGetLineNo) \
	X(xmlGetNoNsProp) \
	X(xmlGetNsProp) \
	X(xmlHasProp) \
	X(xmlInitParser) \
	X(xmlNodeGetContent) \
	X(xmlParseDocument) \
	X(xmlSecCheckVersionExt) \
	X(xmlSecDSigCtxCreate) \
	X(xmlSecDSigCtxDestroy) \
	X(xmlSecDSigCtxEnableSignatureTransform) \
	X(xmlSecDSigCtxVerify) \
	X(xmlSecErrorsDefaultCallbackEnableOutput) \
	X(xmlSecErrorsGetCode) \
	X(xmlSecErrorsGetMsg) \
	X(xmlSecErrorsSetCallback) \
	X(xmlSecIOCleanupCallbacks) \
	X(xmlSecInit) \
	X(xmlSecKeyCreate) \
	X(xmlSecKeyDataDestroy) \
	X(xmlSecKeyDestroy) \
	X(xmlSecKeySetValue) \
	X(xmlSecNodeSetDestroy) \
	X(xmlSecNodeSetGetChildren) \
	X(xmlSecOpenSSLAppInit) \
	X(xmlSecOpenSSLEvpKeyAdopt) \
	X(xmlSecOpenSSLInit) \
	X(xmlSecOpenSSLTransformEcdsaSha256GetKlass) \
	X(xmlSecOpenSSLTransformEcdsaSha384GetKlass) \
	X(xmlSecOpenSSLTransformEcdsaSha512GetKlass) \
	X(xmlSecOpenSSLTransformRsaSha256GetKlass) \
	X(xmlSecOpenSSLTransformRsaSha384GetKlass) \
	X(xmlSecOpenSSLTransformRsaSha512GetKlass) \
	X(xmlSecOpenSSLTransformSha256GetKlass) \
	X(xmlSecOpenSSLTransformSha384GetKlass) \
	X(xmlSecOpenSSLTransformSha512GetKlass) \
	X(xmlSecPtrListAdd) \
	X(xmlSecPtrListCreate) \
	X(xmlSecPtrListDestroy) \
	X(xmlSecPtrListGetItem) \
	X(xmlSecPtrListGetSize) \
	X(xmlSecTransformCtxCreate) \
	X(xmlSecTransformCtxCreateAndAppend) \
	X(xmlSecTransformCtxDestroy) \
	X(xmlSecTransformCtxXmlExecute) \
	X(xmlSecTransformEnvelopedGetKlass) \
	X(xmlSecTransformExclC14NGetKlass) \
	X(xmlSecTransformIdListGetKlass) \
	X(xmlSecTransformInclC14N11GetKlass) \
	X(xmlSecTransformInclC14NGetKlass) \
	X(xmlSecTransformSetKey) \
	X(xmlSecTransformVerifyNodeContent) \
	X(xmlSecTransformXPointerGetKlass) \
	X(xmlSetExternalEntityLoader) \
	X(xmlSetGenericErrorFunc) \
	X(xmlSetStructuredErrorFunc) \
	X(xmlStopParser)

#define FWT__LAZY_PTR(f) __typeof__(&f) f;
extern struct fwt_lazy_xml {
	FWT_LAZY_XML_FUNCS(FWT__LAZY_PTR)
} fwt_lazy_xml;
#undef FWT__LAZY_PTR

/* Load libxml2 and xmlsec once and fill the pointers: FWT_OK, or FWT_EUNSUPPORTED
 * naming what is missing. */
fwt_err fwt__lazy_xml_load(fwt_ctx *ctx);

#ifndef FWT_LAZY_NO_REDIRECT
#define __xmlGenericError (fwt_lazy_xml.__xmlGenericError)
#define __xmlGenericErrorContext (fwt_lazy_xml.__xmlGenericErrorContext)
#define __xmlStructuredError (fwt_lazy_xml.__xmlStructuredError)
#define __xmlStructuredErrorContext (fwt_lazy_xml.__xmlStructuredErrorContext)
#define xmlAddID (fwt_lazy_xml.xmlAddID)
#define xmlCreateMemoryParserCtxt (fwt_lazy_xml.xmlCreateMemoryParserCtxt)
#define xmlCtxtUseOptions (fwt_lazy_xml.xmlCtxtUseOptions)
#define xmlDocGetRootElement (fwt_lazy_xml.xmlDocGetRootElement)
#undef xmlFree
#define xmlFree (*fwt_lazy_xml.xmlFree)
#define xmlFreeDoc (fwt_lazy_xml.xmlFreeDoc)
#define xmlFreeParserCtxt (fwt_lazy_xml.xmlFreeParserCtxt)
#define xmlGetID (fwt_lazy_xml.xmlGetID)
#define xmlGetLineNo (fwt_lazy_xml.xmlGetLineNo)
#define xmlGetNoNsProp (fwt_lazy_xml.xmlGetNoNsProp)
#define xmlGetNsProp (fwt_lazy_xml.xmlGetNsProp)
#define xmlHasProp (fwt_lazy_xml.xmlHasProp)
#define xmlInitParser (fwt_lazy_xml.xmlInitParser)
#define xmlNodeGetContent (fwt_lazy_xml.xmlNodeGetContent)
#define xmlParseDocument (fwt_lazy_xml.xmlParseDocument)
#define xmlSecCheckVersionExt (fwt_lazy_xml.xmlSecCheckVersionExt)
#define xmlSecDSigCtxCreate (fwt_lazy_xml.xmlSecDSigCtxCreate)
#define xmlSecDSigCtxDestroy (fwt_lazy_xml.xmlSecDSigCtxDestroy)
#define xmlSecDSigCtxEnableSignatureTransform (fwt_lazy_xml.xmlSecDSigCtxEnableSignatureTransform)
#define xmlSecDSigCtxVerify (fwt_lazy_xml.xmlSecDSigCtxVerify)
#define xmlSecErrorsDefaultCallbackEnableOutput (fwt_lazy_xml.xmlSecErrorsDefaultCallbackEnableOutput)
#define xmlSecErrorsGetCode (fwt_lazy_xml.xmlSecErrorsGetCode)
#define xmlSecErrorsGetMsg (fwt_lazy_xml.xmlSecErrorsGetMsg)
#define xmlSecErrorsSetCallback (fwt_lazy_xml.xmlSecErrorsSetCallback)
#define xmlSecIOCleanupCallbacks (fwt_lazy_xml.xmlSecIOCleanupCallbacks)
#define xmlSecInit (fwt_lazy_xml.xmlSecInit)
#define xmlSecKeyCreate (fwt_lazy_xml.xmlSecKeyCreate)
#define xmlSecKeyDataDestroy (fwt_lazy_xml.xmlSecKeyDataDestroy)
#define xmlSecKeyDestroy (fwt_lazy_xml.xmlSecKeyDestroy)
#define xmlSecKeySetValue (fwt_lazy_xml.xmlSecKeySetValue)
#define xmlSecNodeSetDestroy (fwt_lazy_xml.xmlSecNodeSetDestroy)
#define xmlSecNodeSetGetChildren (fwt_lazy_xml.xmlSecNodeSetGetChildren)
#define xmlSecOpenSSLAppInit (fwt_lazy_xml.xmlSecOpenSSLAppInit)
#define xmlSecOpenSSLEvpKeyAdopt (fwt_lazy_xml.xmlSecOpenSSLEvpKeyAdopt)
#define xmlSecOpenSSLInit (fwt_lazy_xml.xmlSecOpenSSLInit)
#define xmlSecOpenSSLTransformEcdsaSha256GetKlass (fwt_lazy_xml.xmlSecOpenSSLTransformEcdsaSha256GetKlass)
#define xmlSecOpenSSLTransformEcdsaSha384GetKlass (fwt_lazy_xml.xmlSecOpenSSLTransformEcdsaSha384GetKlass)
#define xmlSecOpenSSLTransformEcdsaSha512GetKlass (fwt_lazy_xml.xmlSecOpenSSLTransformEcdsaSha512GetKlass)
#define xmlSecOpenSSLTransformRsaSha256GetKlass (fwt_lazy_xml.xmlSecOpenSSLTransformRsaSha256GetKlass)
#define xmlSecOpenSSLTransformRsaSha384GetKlass (fwt_lazy_xml.xmlSecOpenSSLTransformRsaSha384GetKlass)
#define xmlSecOpenSSLTransformRsaSha512GetKlass (fwt_lazy_xml.xmlSecOpenSSLTransformRsaSha512GetKlass)
#define xmlSecOpenSSLTransformSha256GetKlass (fwt_lazy_xml.xmlSecOpenSSLTransformSha256GetKlass)
#define xmlSecOpenSSLTransformSha384GetKlass (fwt_lazy_xml.xmlSecOpenSSLTransformSha384GetKlass)
#define xmlSecOpenSSLTransformSha512GetKlass (fwt_lazy_xml.xmlSecOpenSSLTransformSha512GetKlass)
#define xmlSecPtrListAdd (fwt_lazy_xml.xmlSecPtrListAdd)
#define xmlSecPtrListCreate (fwt_lazy_xml.xmlSecPtrListCreate)
#define xmlSecPtrListDestroy (fwt_lazy_xml.xmlSecPtrListDestroy)
#define xmlSecPtrListGetItem (fwt_lazy_xml.xmlSecPtrListGetItem)
#define xmlSecPtrListGetSize (fwt_lazy_xml.xmlSecPtrListGetSize)
#define xmlSecTransformCtxCreate (fwt_lazy_xml.xmlSecTransformCtxCreate)
#define xmlSecTransformCtxCreateAndAppend (fwt_lazy_xml.xmlSecTransformCtxCreateAndAppend)
#define xmlSecTransformCtxDestroy (fwt_lazy_xml.xmlSecTransformCtxDestroy)
#define xmlSecTransformCtxXmlExecute (fwt_lazy_xml.xmlSecTransformCtxXmlExecute)
#define xmlSecTransformEnvelopedGetKlass (fwt_lazy_xml.xmlSecTransformEnvelopedGetKlass)
#define xmlSecTransformExclC14NGetKlass (fwt_lazy_xml.xmlSecTransformExclC14NGetKlass)
#define xmlSecTransformIdListGetKlass (fwt_lazy_xml.xmlSecTransformIdListGetKlass)
#define xmlSecTransformInclC14N11GetKlass (fwt_lazy_xml.xmlSecTransformInclC14N11GetKlass)
#define xmlSecTransformInclC14NGetKlass (fwt_lazy_xml.xmlSecTransformInclC14NGetKlass)
#define xmlSecTransformSetKey (fwt_lazy_xml.xmlSecTransformSetKey)
#define xmlSecTransformVerifyNodeContent (fwt_lazy_xml.xmlSecTransformVerifyNodeContent)
#define xmlSecTransformXPointerGetKlass (fwt_lazy_xml.xmlSecTransformXPointerGetKlass)
#define xmlSetExternalEntityLoader (fwt_lazy_xml.xmlSetExternalEntityLoader)
#define xmlSetGenericErrorFunc (fwt_lazy_xml.xmlSetGenericErrorFunc)
#define xmlSetStructuredErrorFunc (fwt_lazy_xml.xmlSetStructuredErrorFunc)
#define xmlStopParser (fwt_lazy_xml.xmlStopParser)
#endif

#endif
