"""python3-saml verifies signatures with xmlsec on trees parsed by lxml: both must link the same
libxml2, or every SAML sign-in fails with "lxml & xmlsec libxml2 library version mismatch"."""

import lxml.etree
import xmlsec


def test_lxml_and_xmlsec_link_the_same_libxml2():
    assert xmlsec.get_libxml_version() == lxml.etree.LIBXML_VERSION
