#include <libxml/xmlversion.h>
/* A libxml2 built with ICU makes encoding.h include the system's ICU headers, whose
   UErrorCode then clashes with the ICU that Foundation bundles, in any Swift file that
   imports both (which one the compiler meets first decides whether the build fails).
   ICU only adds fields at the end of xmlCharEncodingHandler, a struct this project never
   dereferences (it passes handler pointers, always NULL), so ICU is hidden here. */
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <libxml/c14n.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlsave.h>

/* xmlFree is a global function-pointer variable, which Swift 6 treats as shared mutable
   state; this wrapper lets Swift call it without touching the variable. */
static inline void ih_xmlFree(void *pointer) { xmlFree(pointer); }

#include <libxml/globals.h>

/* libxml2 prints errors that have no parser context (c14n, XPath, tree functions) to
   stderr through its global handlers. Every caller here reads errors from return values
   and parser contexts instead, and hostile input would otherwise fill the server's
   stderr, so both handlers are replaced by ones that discard. The handlers are
   per-thread state in libxml2 2.9: the ThrDef setters are the defaults for every thread
   that first touches libxml2 later, the plain setters cover the calling thread. */
static inline void ih_discard_generic_error(void *context, const char *message, ...) { (void)context; (void)message; }
static inline void ih_discard_structured_error(void *context, xmlErrorPtr error) { (void)context; (void)error; }
static inline void ih_silence_libxml_errors(void) {
    xmlThrDefSetGenericErrorFunc(NULL, ih_discard_generic_error);
    xmlThrDefSetStructuredErrorFunc(NULL, ih_discard_structured_error);
    xmlSetGenericErrorFunc(NULL, ih_discard_generic_error);
    xmlSetStructuredErrorFunc(NULL, ih_discard_structured_error);
}
