"""The README's GraphiQL walk-through, one editor tab each (tests/test_graphiql.py keeps the
README and this list the same, and runs them against the demo data)."""

WELCOME = """# Welcome to workcred's GraphiQL: company reviews, fit and career credit.
#
# Each tab above holds one of the README's examples; run one with the play button
# (or Ctrl-Enter). For signed-in operations, run SignUp or SignInAsRepresentative,
# copy the token, then open "Headers" below and enter
#   {"Authorization": "Bearer <token>"}
# The schema is in the Docs panel on the left.

query WorkcredWelcome {
  companies(first: 5) {
    totalCount
    edges { node { name slug industry ratings { overall { count bayesianAverage } } } }
  }
}"""

EXAMPLES = [
    """mutation SignUp {
  signUp(input: {email: "ada@example.com", password: "a long passphrase", displayName: "Ada"}) {
    token
    userErrors { field code message }
  }
}""",
    """mutation VerifyEmail {
  verifyEmail(input: {code: "<the code mailed to you>"}) {
    member { emailVerified }
    userErrors { field code message }
  }
}""",
    """mutation AddJob {
  addEmployment(input: {
    companyName: "Qingyun Electric Motors", jobFunction: ENGINEERING, location: "Shenzhen",
    startDate: "2019-03-01", endDate: "2022-06-30",
    positions: [{title: "Engineer", level: 3, startDate: "2019-03-01"},
                {title: "Senior Engineer", level: 4, startDate: "2021-01-01"}]
  }) {
    employment { id company { slug } positions { title level startDate } }
    userErrors { field code message }
  }
}""",
    """query MyHistory { viewer { member { displayName } employments { company { name } startDate endDate positions { title level } }
           careerBreaks { kind startDate endDate } representing { slug } } }""",
    """query BrowseCompanies { companies(first: 5, filter: {industry: "Chips"}) {
    totalCount
    edges { cursor node { id slug name industry sizeBand headquartersCity } }
    pageInfo { hasNextPage endCursor } } }""",
    """mutation ReviewACompany {
  submitReview(input: {
    employmentId: "<Employment id from addEmployment>", overall: 4, title: "Great pay, long hours",
    ratings: [{dimension: COMPENSATION, score: 5}, {dimension: WORK_LIFE_BALANCE, score: 2}],
    pros: "Top-of-market salary", cons: "996 around launches", adviceToManagement: "Hire ahead of launches"
  }) { review { id tenure { employmentStatus tenure } } userErrors { field code message } }
}""",
    """query CompanyPage { company(slug: "qingyun-electric-motors") {
    name
    ratings { overall { count mean bayesianAverage distribution }
              dimensions { dimension count bayesianAverage } }
    record { membersWhoWorkedThere medianCompletedTenureMonths earlyAttrition reviewCount
             responseRate medianResponseTimeDays ratingTrend { label count mean } }
    reviews(first: 10, orderBy: MOST_HELPFUL, filter: {employmentStatus: FORMER, minOverall: 3}) {
      totalCount
      edges { node { id overall title pros cons helpfulCount createdAt
        ratings { dimension score }
        tenure { employmentStatus tenure jobFunction location lastYear withheld }
        response { body createdAt updatedAt } } } } } }""",
    """mutation SignInAsRepresentative {
  signIn(input: {email: "representative@qingyun-electric-motors.demo.workcred.test",
                 password: "workcred-demo-password"}) { token userErrors { code message } } }""",
    """query ResponderInbox { company(slug: "qingyun-electric-motors") {
    unansweredReviewCount
    reviews(first: 10, orderBy: OLDEST, filter: {answered: false}) {
      edges { node { id createdAt overall title cons } } } } }""",
    """subscription WatchForAnAnswer { reviewResponded(reviewId: "<Review id>") { body createdAt } }""",
    """mutation RespondToAReview { respondToReview(input: {reviewId: "<Review id>", body: "Thank you for the feedback."}) {
  response { id body } userErrors { code message } } }""",
]
