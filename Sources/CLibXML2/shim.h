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
