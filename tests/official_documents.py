"""Small official-format documents (convention PDF, rules HTML, resolution PDF) for the tests.

The PDFs are laid out line by line as a printed text is: wrapped lines run close to the
full width, so a cross-reference such as "Article 32 of the Convention" can fall at the
start of a line without being a heading.
"""

from __future__ import annotations

from pathlib import Path

CONVENTION_LINES = [
    "UNITED NATIONS CONVENTION AGAINST TRANSNATIONAL ORGANIZED CRIME",
    "Article 31",
    "Prevention",
    "1. States Parties shall endeavour to develop and evaluate national projects and to establish",
    "and promote best practices and policies aimed at the prevention of transnational organized",
    "crime, including the measures that the Conference of the Parties may recommend pursuant to",
    "Article 32 of the Convention, which they shall take into account.",
    "Article 32",
    "Conference of the Parties to the Convention",
    "1. A Conference of the Parties to the Convention is hereby established to improve the capacity",
    "of States Parties to combat transnational organized crime and to promote and review the",
    "implementation of this Convention.",
    "2. The Secretary-General of the United Nations shall convene the Conference of the Parties not",
    "later than one year following the entry into force of this Convention. The Conference shall",
    "adopt rules of procedure, which are applied in accordance with rule 21 of those rules.",
    "3. The Conference of the Parties shall agree upon mechanisms for achieving the objectives",
    "mentioned in paragraph 1 of this article, including:",
    "(a) Facilitating activities by States Parties under articles 29, 30 and 31 of this Convention,",
    "including by encouraging the mobilization of voluntary contributions;",
    "(b) Facilitating the exchange of information among States Parties on patterns and trends in",
    "transnational organized crime and on successful practices for combating it;",
    "(c) Reviewing periodically the implementation of this Convention.",
    "4. For the purpose of paragraph 3 of this article, and in particular of its subparagraphs",
    "(a) and (b), the Conference of the Parties shall acquire the necessary knowledge of the",
    "measures taken by States Parties in implementing this Convention.",
    "Article 33",
    "Secretariat",
    "1. The Secretary-General of the United Nations shall provide the necessary secretariat services",
    "to the Conference of the Parties to the Convention, the body that is established under",
    "Article 32.",
    "2. The secretariat shall assist the Conference of the Parties in carrying out the activities",
    "set forth in article 32 of this Convention and make arrangements for its sessions.",
]

RESOLUTION_LINES = [
    "Resolution 9/1",
    "Establishment of the Mechanism for the Review of the Implementation of the United Nations",
    "Convention against Transnational Organized Crime and the Protocols thereto",
    "The Conference of the Parties to the United Nations Convention against Transnational",
    "Organized Crime,",
    "Recalling article 32 of the Convention, pursuant to which the Conference of the Parties was",
    "established to improve the capacity of States parties to combat transnational organized crime",
    "and to promote and review the implementation of the Convention,",
    "Reaffirming its decision 1/2 of 7 July 2004, in which the Conference decided to carry out the",
    "functions assigned to it in article 32 of the Convention,",
    "1. Decides to establish the Mechanism for the Review of the Implementation of the Convention",
    "and the Protocols thereto, as set out in the annex to the present resolution;",
    "2. Adopts the procedures and rules for the functioning of the Mechanism;",
    "3. Decides that the Mechanism shall be guided by the principles set out in the procedures",
    "and rules for its functioning;",
    "4. Requests the secretariat to support the Mechanism within existing resources and in keeping",
    "with the procedures and rules for the functioning of the Mechanism that are annexed to",
    "Resolution 9/1.",
    "Annex",
    "Procedures and rules for the functioning of the Mechanism",
    "46. Each State party shall designate a focal point for the review process.",
    "47. The secretariat of the Conference of the Parties shall be the secretariat of the Mechanism",
    "and shall support it in accordance with article 33 of the Convention.",
]

RULES_EN = """<html><head><title>Rules of procedure</title><script>var menu;</script></head><body>
<nav>Home | Treaties</nav>
<h1>Rules of procedure for the Conference of the Parties</h1>
<h2>I. General</h2>
<h3>Rule 1</h3><h4>Use of terms</h4>
<p>For the purposes of these rules:</p>
<p>(a) "Convention" shall mean the United Nations Convention against Transnational Organized Crime;</p>
<p>(b) "Conference" shall mean the Conference of the Parties to the Convention established in
accordance with article 32 of the Convention.</p>
<h2>V. Participation</h2>
<h3>Rule 17<br>Participation of non-governmental organizations</h3>
<p>1. Relevant non-governmental organizations having consultative status with the Economic and
Social Council may apply to the bureau for observer status, in accordance with rule 21.</p>
<p>2. Other relevant non-governmental organizations may also apply to the bureau for observer status.
The secretariat shall circulate a list of such organizations at least thirty days prior to the
Conference.</p>
<p>Rule 21 applies to such organizations as well, and article 32 of the Convention too.</p>
<footer>Contact us</footer>
</body></html>"""

RULES_FR = """<html><body>
<h1>Règlement intérieur de la Conférence des Parties</h1>
<p><b>Article premier</b></p>
<p><b>Terminologie</b></p>
<p>Aux fins du présent règlement :</p>
<p>a) Le terme « Convention » désigne la Convention des Nations Unies contre la criminalité
transnationale organisée ;</p>
<p>b) Le terme « Conférence » désigne la Conférence des Parties instituée conformément à
l'article 32 de la Convention.</p>
<h3>Article 17 — Participation des organisations non gouvernementales</h3>
<p>1. Les organisations non gouvernementales dotées du statut consultatif auprès du Conseil
économique et social peuvent demander au Bureau le statut d'observateur, conformément à
l'article 21.</p>
<p>2. D'autres organisations non gouvernementales peuvent également demander ce statut. Le
secrétariat distribue la liste de ces organisations trente jours au moins avant la Conférence.</p>
</body></html>"""


def write_printed_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF with exactly these lines, as a typeset text would be extracted."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    for line in lines:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def pdf_bytes(lines: list[str], folder: Path) -> bytes:
    return write_printed_pdf(folder / "printed.pdf", lines).read_bytes()
